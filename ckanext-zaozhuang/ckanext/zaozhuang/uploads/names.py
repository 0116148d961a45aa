"""The names uploaded files keep. CKAN's munge_filename keeps ASCII only, so 公交线路.csv
would become ".csv"; here a name keeps its letters in any script and loses only what is unsafe
in a file name or a URL."""
from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote, unquote

from ckan.lib import munge

# Reserved in file names on common systems, or with a meaning in a URL or an HTTP header.
UNSAFE = re.compile(r"""[\\/:*?"<>|#%&;=+^`{}\[\]~']""")
SPACES = re.compile(r"\s+")
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,%d}$" % (munge.MAX_FILENAME_EXTENSION_LENGTH - 1))
# A stem that is left empty (the name was all unsafe characters) gets this one.
FALLBACK_STEM = "file"


def safe_filename(filename: str) -> str:
    """A file's name without its path, invisible or unsafe characters, and at most
    munge.MAX_FILENAME_TOTAL_LENGTH characters long, keeping its extension."""
    name = unicodedata.normalize("NFC", str(filename)).replace("\\", "/").rsplit("/", 1)[-1]
    # Controls, format characters (bidirectional overrides, zero-width) and unassigned ones.
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = SPACES.sub("-", UNSAFE.sub("", name)).rstrip(".- ")
    match = EXTENSION.search(name)
    extension = match.group(0) if match else ""
    # No hidden files, nor names that read as a command-line option.
    stem = name[:len(name) - len(extension)].strip(".- ")
    stem = stem[:munge.MAX_FILENAME_TOTAL_LENGTH - len(extension)] or FALLBACK_STEM
    return stem + extension


def stored_name(url: str) -> str:
    """The name to store for an uploaded resource whose URL is given back as shown (ending
    in the percent-encoded name); core keeps only the last path segment, still encoded."""
    segment = url.rsplit("/", 1)[-1]
    return safe_filename(unquote(segment)) if "%" in segment else segment


def shown_url(url: str, name: str) -> str:
    """A download URL whose last segment, CKAN's ASCII-only copy of the name, is the name."""
    return url.rsplit("/", 1)[0] + "/" + quote(name)


def content_disposition(filename: str) -> dict[str, str]:
    """The Content-Disposition parameters for a file name: `filename*` (RFC 5987) with the
    name, and an ASCII `filename` for clients that do not read it."""
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        stem, extension = os.path.splitext(safe_filename(filename))
        ascii_stem = stem.encode("ascii", "ignore").decode().strip(".- ") or "download"
        return {"filename": ascii_stem + extension,
                "filename*": "UTF-8''" + quote(filename, safe="!#$&+-.^_`|~")}
    return {"filename": filename}
