"""Requests taken through the real actions to a state."""
from __future__ import annotations

import datetime
import uuid
from typing import Any

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar

def today() -> datetime.date:
    return calendar.local_date(now())


def file(world, role: str = "requester", **overrides: Any) -> dict[str, Any]:
    # Titles apart enough not to be taken for duplicates of each other.
    data = {"title": f"泊位数据 {uuid.uuid4().hex}",
            "description": "希望开放停车场的实时空余泊位,用于开发停车导航小程序。",
            "formats": ["CSV", "API"], "update_frequency": "realtime",
            "contact_phone": "13806320001"}
    data.update(overrides)
    return world.act(role, "request_create", **data)


def routed(world, **overrides: Any) -> dict[str, Any]:
    request = file(world, **overrides)
    return world.act("authority", "request_route", id=request["id"],
                     organization_id=world.department["id"])


def answered(world, **overrides: Any) -> dict[str, Any]:
    request = routed(world, **overrides)
    return world.act("dept_editor", "request_answer", id=request["id"], answer="cannot",
                     legal_basis="《中华人民共和国个人信息保护法》第十三条")
