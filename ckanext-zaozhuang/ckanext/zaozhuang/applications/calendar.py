"""Working days: Monday to Friday, less public holidays, plus the weekend days that are
worked (调休), as listed in the operator's holiday file (format in config/holidays.yaml)."""
from __future__ import annotations

import datetime
import functools
import os
import zoneinfo
from typing import Any, Iterable, Optional

import yaml

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema.validators import parse_date

SHIPPED_HOLIDAY_FILE = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "config", "holidays.yaml")


class Calendar:
    def __init__(self, holidays: Iterable[datetime.date], workdays: Iterable[datetime.date]):
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (the start day itself never counts, as a
        request made on a Friday evening is dealt with from Monday)."""
        day = start
        counted = 0
        while counted < days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _dates(entries: Optional[list[dict[str, Any]]], path: str) -> list[datetime.date]:
    found = []
    for entry in entries or []:
        first = parse_date(entry.get("date", entry.get("from")))
        last = parse_date(entry.get("to", entry.get("date", entry.get("from"))))
        if first is None or last is None or last < first:
            raise ValueError(f"{path}: entry {entry!r} needs a date, or from and to")
        found.extend(first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return found


@functools.lru_cache(maxsize=4)
def load(path: str) -> Calendar:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return Calendar(_dates(data.get("holidays"), path), _dates(data.get("workdays"), path))


def holiday_file() -> str:
    return tk.config.get("ckanext.zaozhuang.applications.holiday_file") or SHIPPED_HOLIDAY_FILE


def calendar() -> Calendar:
    return load(holiday_file())


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tk.config.get("ckan.display_timezone") or "Asia/Shanghai")


def local_date(moment: datetime.datetime) -> datetime.date:
    """The portal's calendar date of a moment: deadlines are counted in local days."""
    return moment.astimezone(timezone()).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a local day as an aware moment."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone())
