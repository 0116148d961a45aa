"""Requests taken through the real actions to a state."""
from __future__ import annotations

import datetime
import itertools
from typing import Any

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar

_titles = itertools.count()


def today() -> datetime.date:
    return calendar.local_date(now())


def file(world, role: str = "requester", **overrides: Any) -> dict[str, Any]:
    data = {"title": f"枣庄市第{next(_titles)}类停车场实时泊位数据",
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
