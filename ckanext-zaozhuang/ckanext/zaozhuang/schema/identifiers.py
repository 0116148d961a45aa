"""Resource identifiers (信息资源标识符, GB/T 21063.3 core metadata): the prefix of the
portal, a hyphen and an eight-digit number from a database sequence, e.g. 370400-00000001.

A sequence never hands out a number twice, even when a transaction that took one is rolled
back or a dataset is purged, so an identifier once assigned is never reused; gaps in the
numbers are harmless. The catalog code is not stable enough for this: it carries the
department's provider code and is renumbered with it (catalog/changes.py)."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

SEQUENCE = "zaozhuang_resource_identifier_seq"
FIELD = "identifier"
DIGITS = 8
# What a free-text search takes for an identifier; a catalog code (18 characters before the
# hyphen, five after) is not one.
PATTERN = re.compile(r"^[0-9A-Z]{2,12}-\d{8}$")
# What an administrator may bring along from another portal: letters, digits and the
# punctuation of URNs and codes, no spaces.
GIVEN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z:./_-]*$")
MAX_LENGTH = 100


def prefix() -> str:
    return tk.config.get("ckanext.zaozhuang.identifier_prefix")


def formatted(number: int) -> str:
    return f"{prefix()}-{number:0{DIGITS}d}"


def next_identifier(connection: sa.engine.Connection | None = None) -> str:
    """A new identifier. Identifiers given by an administrator (a dataset restored from
    another portal's dump or harvest) may already hold a number; it is skipped."""
    execute = (connection or model.Session).execute
    while True:
        number = execute(sa.text(f"SELECT nextval('{SEQUENCE}')")).scalar()
        candidate = formatted(number)
        taken = execute(sa.text("SELECT 1 FROM package WHERE extras->>'identifier' = :value"),
                        {"value": candidate}).first()
        if taken is None:
            return candidate
