"""Template helpers."""
from __future__ import annotations

from typing import Any

from ckanext.zaozhuang.schema import vocabularies


def zaozhuang_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """ckanext-scheming `choices_helper`: the choices of the field's vocabulary."""
    return vocabularies.choices(field["vocabulary"])


def zaozhuang_label(vocabulary: str, code: str) -> str:
    """A stored code's label in the user's language."""
    return vocabularies.label(vocabulary, code)
