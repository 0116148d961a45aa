"""The text encoding xloader falls back to.

xloader 2.6 reads a file in the encoding chardet names only when chardet is more than 70%
sure; otherwise it tries UTF-8 and, if that fails, a single-byte Western encoding (cp1252),
which turns GBK/GB 18030 text into mojibake without an error. A department's small CSV in
GBK is such a file: chardet names GB18030, but about 13% sure. The portal accepts text only
in UTF-8 or GB 18030 (uploads/content.py refuses anything else at upload), so when UTF-8
fails the text is GB 18030. xloader has no option for this; its module constant is the
one place it is decided."""
from __future__ import annotations

from ckanext.xloader import loader

FALLBACK = "gb18030"


def read_gb18030_when_not_utf8() -> None:
    loader.SINGLE_BYTE_ENCODING = FALLBACK
