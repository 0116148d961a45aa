"""Every declared format against the bytes that agree with it and bytes that do not."""
import io

import pytest

from ckanext.zaozhuang.uploads import content
from tests.uploads import samples

CSV = samples.CSV_TEXT

AGREE = [
    ("CSV", CSV.encode("utf-8")),
    ("CSV", CSV.encode("utf-8-sig")),
    ("CSV", CSV.encode("gbk")),
    ("CSV", CSV.encode("gb18030")),
    ("CSV", "MZ代码,名称\n1,市中区\n".encode()),  # text that merely begins like a program
    ("CSV", b""),
    ("TXT", samples.HTML),  # a text document may hold markup; it is served as a download
    ("JSON", '{"线路": "1路"}'.encode("gbk")),
    ("GeoJSON", b'{"type": "FeatureCollection", "features": []}'),
    ("XML", '<?xml version="1.0" encoding="GBK"?><线路/>'.encode("gbk")),
    ("XLSX", samples.xlsx()),
    ("DOCX", samples.DOCX),
    ("XLS", samples.OLE2),
    ("PDF", samples.PDF),
    ("PNG", samples.PNG),
    ("JPEG", samples.JPEG),
    ("GIF", samples.GIF),
    ("WEBP", samples.WEBP),
    ("ZIP", samples.ZIP),
    ("SHP", samples.SHAPEFILE_ZIP),
    ("API", samples.ZIP),  # a format whose content is not defined is only kept from programs
]

DISAGREE = [
    ("CSV", samples.ELF),
    ("CSV", samples.PE),
    ("CSV", samples.ZIP),
    ("CSV", samples.PNG),
    ("CSV", samples.xlsx()),
    ("CSV", samples.HTML),
    ("CSV", samples.SVG),
    ("CSV", CSV.encode("utf-16")),
    ("JSON", samples.PDF),
    ("XML", samples.HTML),
    ("XLSX", samples.ZIP),
    ("XLSX", samples.DOCX),
    ("XLSX", samples.OLE2),
    ("XLSX", CSV.encode()),
    ("DOCX", samples.xlsx()),
    ("XLS", samples.xlsx()),
    ("PDF", samples.PNG),
    ("PNG", samples.JPEG),
    ("JPEG", samples.GIF),
    ("SHP", samples.ZIP),
    ("ZIP", samples.PE),
    ("API", samples.ELF),
    (None, samples.PE),
]


def _problem(declared, data):
    return content.problem(io.BytesIO(data), [declared])


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("declared,data", AGREE)
def test_bytes_that_agree_with_the_declared_format_pass(declared, data):
    assert _problem(declared, data) is None


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("declared,data", DISAGREE)
def test_bytes_that_disagree_with_the_declared_format_are_refused(declared, data):
    assert _problem(declared, data)


@pytest.mark.usefixtures("with_request_context")
def test_every_declaration_must_agree():
    """The format field and the file's extension both declare; one that disagrees refuses."""
    data = samples.xlsx()
    assert content.problem(io.BytesIO(data), ["XLSX", ".xlsx"]) is None
    assert content.problem(io.BytesIO(data), ["XLSX", ".csv"])
    assert content.problem(io.BytesIO(data), ["", ".csv"])


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("value,code", [
    ("csv", "CSV"), (".csv", "CSV"), ("text/csv", "CSV"), ("CSV(电子表格)", "CSV"),
    ("xlsx", "XLSX"), ("jpg", "JPEG"), ("geojson", "GeoJSON"), ("shapefile", "SHP"),
    ("", None), (None, None),
])
def test_declared_formats_are_read_as_the_catalog_reads_them(value, code):
    assert content.declared_format(value) == code


@pytest.mark.usefixtures("with_request_context")
def test_the_stream_is_left_at_its_start():
    stream = io.BytesIO(samples.xlsx())
    content.problem(stream, ["XLSX"])
    assert stream.tell() == 0
