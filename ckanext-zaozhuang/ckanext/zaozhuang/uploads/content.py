"""What an uploaded file is, read from its bytes, against what it is declared to be.

libmagic (python-magic, which CKAN already uses) names the type from the first bytes. What it
cannot settle alone is settled here: whether text is in UTF-8 or GB18030 (GBK), the encodings
the portal reads (libmagic calls text in any encoding text, and may take a text beginning with
"MZ" for a program); which zip is a workbook or a shapefile, which it guesses from the order of
the zip's entries; and that a data format is not a web page."""
from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from typing import IO, Callable, Optional

import magic

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import vocabularies

# As much as libmagic itself reads of a file.
SNIFF_BYTES = 1 << 20
# Characters text has no use for: C0 controls other than tab, line breaks and form feed, DEL
# and C1 controls. Binary data decoded as GB18030 is full of them.
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
EXECUTABLES = frozenset((
    "application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
    "application/x-object", "application/x-dosexec", "application/x-mach-binary",
    "application/vnd.microsoft.portable-executable", "application/x-msdownload",
))
# What a browser runs as a page.
WEB_PAGES = frozenset(("text/html", "application/xhtml+xml", "image/svg+xml"))
# Text that libmagic files under application/.
TEXT_APPLICATIONS = frozenset(("application/json", "application/xml", "application/x-empty"))
ZIPS = frozenset(("application/zip", "application/x-zip-compressed"))
OOXML = "application/vnd.openxmlformats-officedocument."
# libmagic names an OLE2 file by what it recognises inside, or by the container alone.
OLE2 = frozenset(("application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"))


@dataclass
class Sniffed:
    head: bytes
    stream: IO[bytes]
    complete: bool  # the head is the whole file

    @cached_property
    def mimetype(self) -> str:
        return magic.from_buffer(self.head, mime=True)

    @cached_property
    def text(self) -> Optional[str]:
        """The head as text, if it is UTF-8 (with or without BOM) or GB18030 text."""
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                decoded = codecs.getincrementaldecoder(encoding)().decode(
                    self.head, final=self.complete)
            except UnicodeDecodeError:
                continue
            return None if CONTROL.search(decoded) else decoded
        return None

    def zip_members(self) -> list[str]:
        if self.mimetype not in ZIPS and not self.mimetype.startswith(OOXML):
            return []
        try:
            with zipfile.ZipFile(self.stream) as archive:
                return archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return []
        finally:
            self.stream.seek(0)


# A rule says whether the bytes agree with a declared format, and if not, why not.
Rule = Callable[[Sniffed, str], Optional[str]]


def _text(pages: bool) -> Rule:
    """Text in UTF-8 or GB18030 that libmagic takes for text, and for a data format not a web
    page (a text document may hold markup: it is served as a download)."""
    def rule(sniffed: Sniffed, declared: str) -> Optional[str]:
        if sniffed.text is None:
            return tk._("A {format} file must be text encoded in UTF-8 or GB18030 (GBK)"
                        ).format(format=declared)
        if sniffed.mimetype in WEB_PAGES:
            return None if pages else tk._("A {format} file must not be a web page").format(
                format=declared)
        if sniffed.mimetype.startswith("text/") or sniffed.mimetype in TEXT_APPLICATIONS:
            return None
        return _not_this_format(declared)  # text-like bytes of another format, e.g. PDF
    return rule


def _not_this_format(declared: str) -> str:
    return tk._("The content of the file is not {format}, the format declared by the "
                "resource's format or the file name").format(format=declared)


def _types(*names: str) -> Rule:
    def rule(sniffed: Sniffed, declared: str) -> Optional[str]:
        return None if sniffed.mimetype in names else _not_this_format(declared)
    return rule


def _zip_holding(test: Callable[[str], bool]) -> Rule:
    def rule(sniffed: Sniffed, declared: str) -> Optional[str]:
        return None if any(map(test, sniffed.zip_members())) else _not_this_format(declared)
    return rule


RULES: dict[str, Rule] = {
    **dict.fromkeys(("CSV", "TSV", "JSON", "GEOJSON", "XML", "RDF", "KML"), _text(pages=False)),
    "TXT": _text(pages=True),
    "XLSX": _zip_holding(lambda name: name == "xl/workbook.xml"),
    "DOCX": _zip_holding(lambda name: name == "word/document.xml"),
    "PPTX": _zip_holding(lambda name: name == "ppt/presentation.xml"),
    "SHP": _zip_holding(lambda name: name.lower().endswith(".shp")),
    "ZIP": _zip_holding(lambda name: True),
    "XLS": _types("application/vnd.ms-excel", *OLE2),
    "DOC": _types("application/msword", *OLE2),
    "PPT": _types("application/vnd.ms-powerpoint", *OLE2),
    "PDF": _types("application/pdf"),
    "PNG": _types("image/png"),
    "JPEG": _types("image/jpeg"),
    "GIF": _types("image/gif"),
    "WEBP": _types("image/webp"),
    "MP4": _types("video/mp4"),
}


def declared_format(value: object) -> Optional[str]:
    """The format code a resource's format field or a file extension names."""
    text = str(value or "").strip().lstrip(".")
    if not text:
        return None
    code = vocabularies.code_for("resource_format", text) or tk.h.unified_resource_format(text)
    return code


def problem(stream: IO[bytes], declarations: list[object]) -> Optional[str]:
    """Why these bytes may not be uploaded under these declarations (formats, extensions),
    or None. Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    sniffed = Sniffed(head, stream, complete=len(head) < SNIFF_BYTES)
    if sniffed.mimetype in EXECUTABLES and sniffed.text is None:
        return tk._("Programs cannot be uploaded")
    for declared in dict.fromkeys(filter(None, map(declared_format, declarations))):
        rule = RULES.get(declared.upper())
        found = rule(sniffed, declared) if rule else None
        if found:
            return found
    return None
