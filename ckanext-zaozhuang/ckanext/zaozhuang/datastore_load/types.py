"""Column types from the dataset's data dictionary, given to a freshly loaded table.

xloader loads every column as text (the portal has each load make its table afresh, see
actions.xloader_submit). Its own way to type a column, a Data Dictionary `type_override`,
has PostgreSQL's COPY parse the file's text: COPY refuses 1,200 and 2024年1月5日, and xloader
then falls back to loading with guessed types, whose mapping knows neither integers nor
dates. So the types are given after the load, in the DataStore, by one ALTER TABLE whose
conversions read what Chinese tables hold: thousands separators, 2024年1月5日, 2024/1/5,
2024.1.5, and date-times with a space or a T.

A column with a value that does not convert stays text, and the load still succeeds: the
column's DataStore info names the type, the first record at fault and its value
(UNCONVERTED), the load status shows it, and the quality check names every such cell.
A data item with a value format (ID-card, telephone, credit code, postcode, e-mail) and
every text or boolean item stay text, keeping leading zeros and all 18 characters."""
from __future__ import annotations

import logging
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import ckanext.datastore.backend.postgres as datastore_db

log = logging.getLogger(__name__)

SQL_TYPES = {"integer": "int8", "decimal": "numeric", "date": "date", "datetime": "timestamp"}
# Where xloader keeps a column's name: stripped and cut to PostgreSQL's 63 characters.
MAX_COLUMN_LENGTH = 63
# Column info key of a column left as text: {"type", "record", "value"}.
UNCONVERTED = "zaozhuang_unconverted"
MAX_VALUE = 100

INTEGER = r"^[+-]?([0-9]{1,3}(,[0-9]{3}){0,5}|[0-9]{1,18})(\.0+)?$"
DECIMAL = r"^[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]*)?|\.[0-9]+)$"
DAY = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"
DATETIME = r"^\S+[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _day_text(value: str) -> str:
    """2024年1月5日, 2024/1/5 and 2024.1.5 as 2024-1-5; a time of midnight (a spreadsheet's
    date cell) is dropped."""
    value = f"regexp_replace({value}, '[ T]00:00(:00)?$', '')"
    value = (f"regexp_replace({value}, "
             f"'^([0-9]{{4}})年([0-9]{{1,2}})月([0-9]{{1,2}})日$', '\\1-\\2-\\3')")
    return f"translate({value}, '/.', '--')"


def _day_valid(day: str) -> str:
    """Whether day (text as 2024-1-5) is a date of the calendar. A CASE, since PostgreSQL
    does not promise to evaluate the terms of an AND in order."""
    part = {i: f"split_part({day}, '-', {i})::int" for i in (1, 2, 3)}
    last = (f"extract(day from make_date({part[1]}, {part[2]}, 1) "
            f"+ interval '1 month - 1 day')::int")
    return (f"CASE WHEN {day} !~ '{DAY}' THEN false WHEN {part[1]} < 1 THEN false "
            f"WHEN {part[2]} NOT BETWEEN 1 AND 12 THEN false "
            f"ELSE {part[3]} BETWEEN 1 AND {last} END")


def _conversion(kind: str, column: str) -> tuple[str, str]:
    """(valid, value): SQL of whether a non-blank cell converts, and of its converted value."""
    cell = f"btrim({column})"
    if kind == "integer":
        return (f"{cell} ~ '{INTEGER}'",
                f"replace(regexp_replace({cell}, '\\.0+$', ''), ',', '')::int8")
    if kind == "decimal":
        return f"{cell} ~ '{DECIMAL}'", f"replace({cell}, ',', '')::numeric"
    if kind == "date":
        day = _day_text(cell)
        return _day_valid(day), f"to_date({day}, 'YYYY-MM-DD')"
    spaced = f"replace({cell}, 'T', ' ')"
    day, time = f"split_part({spaced}, ' ', 1)", f"split_part({spaced}, ' ', 2)"
    clock = {i: f"split_part({time}, ':', {i})" for i in (1, 2, 3)}
    valid = (f"CASE WHEN {cell} !~ '{DATETIME}' THEN false "
             f"WHEN {clock[1]}::int > 23 OR {clock[2]}::int > 59 "
             f"OR coalesce(nullif({clock[3]}, '')::int, 0) > 59 THEN false "
             f"ELSE {_day_valid(_day_text(day))} END")
    return valid, f"to_date({_day_text(day)}, 'YYYY-MM-DD') + {time}::time"


def planned_types(items: list[dict[str, Any]], columns: list[str]) -> dict[str, str]:
    """column → dictionary type, for the table's columns that a data item types. A column
    is matched by the item's Chinese name, else its English name."""
    by_name: dict[str, dict[str, Any]] = {}
    for item in items:
        for key in ("name_en", "name_zh"):  # the Chinese name wins
            name = (item.get(key) or "").strip()[:MAX_COLUMN_LENGTH].strip()
            if name:
                by_name[name] = item
    plan = {}
    for column in columns:
        item = by_name.get(column)
        if item and item.get("type") in SQL_TYPES and not item.get("value_format"):
            plan[column] = item["type"]
    return plan


def apply(resource_id: str, items: list[dict[str, Any]],
          logger: Optional[logging.Logger] = None) -> dict[str, dict[str, Any]]:
    """Give the resource's table the types of its data items; returns the columns left as
    text: column → {"type", "record", "value"}."""
    logger = logger or log
    engine = datastore_db.get_write_engine()
    table = ident(resource_id)
    with engine.begin() as conn:
        columns = [row[0] for row in conn.exec_driver_sql(
            "SELECT attname FROM pg_attribute WHERE attrelid = %(table)s::regclass "
            "AND attnum > 0 AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'text' "
            "ORDER BY attnum", {"table": table})]
    plan = planned_types(items, [c for c in columns if not c.startswith("_")])
    if not plan:
        return {}
    names = list(plan)
    tests = []
    for name in names:
        valid, _value = _conversion(plan[name], ident(name))
        tests.append(f"min(_id) FILTER (WHERE NOT (btrim({ident(name)}) = '' OR {valid}))")
    raw = engine.raw_connection()  # no bind parameters: the SQL holds % and : freely
    try:
        cursor = raw.cursor()
        cursor.execute(f"SELECT {', '.join(tests)} FROM {table}")
        first_bad = dict(zip(names, cursor.fetchone()))
        failed: dict[str, dict[str, Any]] = {}
        for name, record in first_bad.items():
            if record is not None:
                cursor.execute(f"SELECT {ident(name)} FROM {table} WHERE _id = {int(record)}")
                failed[name] = {"type": plan[name], "record": int(record),
                                "value": (cursor.fetchone()[0] or "")[:MAX_VALUE]}
        typed = [name for name in names if name not in failed]
        if typed:
            changes = []
            for name in typed:
                _valid, value = _conversion(plan[name], ident(name))
                changes.append(
                    f"ALTER COLUMN {ident(name)} TYPE {SQL_TYPES[plan[name]]} USING "
                    f"CASE WHEN btrim({ident(name)}) = '' THEN NULL ELSE {value} END")
            cursor.execute(f"ALTER TABLE {table} {', '.join(changes)}")
        raw.commit()
    finally:
        raw.close()
    logger.info("Column types from the data dictionary: %s; left as text: %s",
                {name: plan[name] for name in typed}, failed)
    if failed:
        tk.get_action("datastore_create")({"ignore_auth": True}, {
            "resource_id": resource_id, "force": True,
            "fields": [{"id": name, "info": {UNCONVERTED: detail}}
                       for name, detail in failed.items()]})
    return failed
