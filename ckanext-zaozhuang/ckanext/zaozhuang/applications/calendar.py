"""Working days: Monday to Friday, less public holidays, plus the weekend days that are
worked (调休). The official schedules come from the `chinesecalendar` package; the operator's
holiday file (format in config/holidays.yaml) adds years it declares complete and overrides
single days. A day in a year that neither covers is refused (UncoveredYear), never guessed."""
from __future__ import annotations

import datetime
import functools
import os
import zoneinfo
from typing import Any, Iterable, Optional

import chinese_calendar
import yaml

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema.validators import parse_date

SHIPPED_HOLIDAY_FILE = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "config", "holidays.yaml")


class UncoveredYear(ValueError):
    """No holiday schedule covers the year of a day that was to be counted."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"no holiday schedule covers {year}")


class Calendar:
    def __init__(self, holidays: Iterable[datetime.date], workdays: Iterable[datetime.date],
                 years: Iterable[int]):
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.years = frozenset(years)

    def is_working_day(self, day: datetime.date) -> bool:
        if day.year not in self.years:
            raise UncoveredYear(day.year)
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


def _years(data: dict[str, Any], path: str) -> list[int]:
    years = data.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise ValueError(f"{path}: years must be a list of years, e.g. [2027]")
    return years


def package_years() -> range:
    """The years whose official schedule the chinesecalendar package carries."""
    known = {day.year for day in chinese_calendar.holidays}
    return range(min(known), max(known) + 1)


@functools.lru_cache(maxsize=4)
def load(path: str) -> Calendar:
    """The package's schedules with the file's years and days over them: a day the file
    names as a holiday or as a workday is that, whatever the package says."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    holidays = set(_dates(data.get("holidays"), path))
    workdays = set(_dates(data.get("workdays"), path))
    official_holidays = set(chinese_calendar.holidays) - workdays
    official_workdays = set(chinese_calendar.workdays) - holidays
    return Calendar(holidays | official_holidays, workdays | official_workdays,
                    set(package_years()) | set(_years(data, path)))


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
