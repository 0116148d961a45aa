"""The controlled vocabularies of vocabularies.yaml: codes, labels and lookups."""
from __future__ import annotations

import functools
import os
from typing import Any

import yaml

import ckan.plugins.toolkit as tk

LANGUAGES = ("zh_Hans_CN", "en")


def _load(filename: str) -> Any:
    with open(os.path.join(os.path.dirname(__file__), filename), encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def _vocabularies() -> dict[str, list[dict[str, Any]]]:
    return _load("vocabularies.yaml")


@functools.cache
def schemes() -> dict[str, dict[str, str]]:
    """The published vocabularies, in order, each with its title in every language."""
    return _load("schemes.yaml")


def terms(name: str) -> list[dict[str, Any]]:
    return _vocabularies()[name]


def codes(name: str) -> list[str]:
    return [t["code"] for t in terms(name)]


@functools.cache
def _by_code(name: str) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in terms(name)}


@functools.cache
def _by_folded_code_or_label(name: str) -> dict[str, str]:
    index = {}
    for t in terms(name):
        for key in (t["code"], *(t[lang] for lang in LANGUAGES)):
            index[str(key).casefold()] = t["code"]
    return index


def term(name: str, code: str) -> dict[str, Any] | None:
    return _by_code(name).get(code)


def code_for(name: str, value: str) -> str | None:
    """The code a value stands for: the code itself in any case, or a label in any language.
    Spreadsheets and forms may carry either."""
    return _by_folded_code_or_label(name).get(str(value).strip().casefold())


def current_language() -> str:
    try:
        lang = tk.h.lang()
    except RuntimeError:  # outside a request (CLI, jobs)
        lang = None
    return lang or tk.config.get("ckan.locale_default")


def label(name: str, code: str, lang: str | None = None) -> str:
    t = term(name, code)
    if t is None:
        return code
    return t.get(lang or current_language()) or t["zh_Hans_CN"]


def choices(name: str) -> list[dict[str, Any]]:
    """Choices in ckanext-scheming's form: the label dict is shown in the user's language."""
    return [{"value": t["code"], "label": {lang: t[lang] for lang in LANGUAGES}}
            for t in terms(name)]
