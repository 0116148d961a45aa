"""Showcases taken through the real actions, and small images made here."""
from __future__ import annotations

import io
import itertools
import struct
import zlib
from typing import Any

from werkzeug.datastructures import FileStorage


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="image/png")


_links = itertools.count(1)


def showcase_data(world, **overrides: Any) -> dict[str, Any]:
    # A link of its own for each showcase: one user may not submit one link twice.
    data = {"title": "枣庄空气质量地图", "kind": "visualisation",
            "description": "基于空气质量监测数据的逐小时地图",
            "link": f"https://example.com/showcases/{next(_links)}",
            "dataset_ids": [world.open_dataset["id"]]}
    data.update(overrides)
    return data


def submit(world, role: str = "submitter", **overrides: Any) -> dict[str, Any]:
    return world.act(role, "showcase_create", **showcase_data(world, **overrides))


def published(world, role: str = "submitter", **overrides: Any) -> dict[str, Any]:
    showcase = submit(world, role, **overrides)
    return world.act("authority", "showcase_review", id=showcase["id"], decision="approve")
