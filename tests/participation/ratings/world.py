"""The people around a providing department's datasets, for the participation tests:
one dataset open to everyone, one seen only by the department and the authority."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department

ROLES = ("anonymous", "citizen", "submitter", "provider_member", "other_department",
         "authority", "sysadmin")
# Who sees a not_open dataset that is not shared: its department and the authority.
SEE_CLOSED = {"provider_member", "authority", "sysadmin"}
MODERATORS = {"provider_member", "authority", "sysadmin"}
PASSWORD = "Zz-test-pass-2026"


@dataclasses.dataclass
class World:
    users: dict[str, dict[str, Any]]
    provider: dict[str, Any]
    open_dataset: dict[str, Any]
    closed_dataset: dict[str, Any]

    def name(self, role: str) -> str | None:
        return None if role == "anonymous" else self.users[role]["name"]

    def context(self, role: str) -> dict[str, Any]:
        return {"user": self.name(role), "ignore_auth": False}

    def act(self, role: str, action: str, **data: Any) -> Any:
        return call_action(f"zaozhuang_{action}", self.context(role), **data)


def build() -> World:
    users = {role: factories.User(fullname=role, password=PASSWORD,
                                  email=f"{role}@example.com")
             for role in ROLES if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    provider = Department(title="枣庄市生态环境局", users=[
        {"name": users["provider_member"]["name"], "capacity": "member"}])
    Department(title="枣庄市交通运输局", users=[
        {"name": users["other_department"]["name"], "capacity": "admin"}])
    Department(name=tk.config.get("ckanext.zaozhuang.authority_organization"),
               title="枣庄市大数据局",
               users=[{"name": users["authority"]["name"], "capacity": "member"}])
    open_dataset = CatalogDataset(owner_org=provider["id"], title="枣庄市空气质量监测数据")
    closed_dataset = CatalogDataset(owner_org=provider["id"], title="污染源企业内部台账",
                                    open_category="not_open", share_category="none",
                                    not_open_basis="涉及商业秘密")
    return World(users, provider, open_dataset, closed_dataset)


@pytest.fixture
def world(with_plugins, clean_db, clean_index) -> World:
    return build()
