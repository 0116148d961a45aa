"""Synonyms of synonyms.yaml: the other words a dataset is found by.

They are added to the dataset's search document when it is indexed, rather than expanded in
the query: a group's words are segmented by SmartCN like any other text of the document, so a
multi-word synonym (医疗机构 for 医院) needs no query graph and minimum-should-match counts the
query's words as before.
"""
from __future__ import annotations

import functools
import os
import unicodedata
from typing import Iterable

import yaml


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.cache
def groups() -> tuple[tuple[str, ...], ...]:
    with open(os.path.join(os.path.dirname(__file__), "synonyms.yaml"), encoding="utf-8") as f:
        return tuple(tuple(fold(str(word)) for word in group) for group in yaml.safe_load(f)["groups"])


def other_words(texts: Iterable[str]) -> list[str]:
    """The words of every group one of whose words the texts hold, less those they hold."""
    text = fold(" ".join(t for t in texts if isinstance(t, str)))
    found = [group for group in groups() if any(word in text for word in group)]
    return sorted({word for group in found for word in group if word not in text})
