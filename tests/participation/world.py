"""The people around public participation: citizens, a department that answers (member,
editor, admin), another department's editor, the authority; and a page client per role."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.applications.world import PASSWORD
from tests.factories import CatalogDataset, Department

ROLES = ("anonymous", "citizen", "requester", "dept_member", "dept_editor", "dept_admin",
         "other_editor", "authority", "sysadmin")


@dataclasses.dataclass
class World:
    users: dict[str, dict[str, Any]]
    department: dict[str, Any]
    other_department: dict[str, Any]
    dataset: dict[str, Any]
    other_dataset: dict[str, Any]

    def name(self, role: str) -> str | None:
        return None if role == "anonymous" else self.users[role]["name"]

    def context(self, role: str) -> dict[str, Any]:
        return {"user": self.name(role), "ignore_auth": False}

    def act(self, role: str, action: str, **data: Any) -> Any:
        return call_action(f"zaozhuang_{action}", self.context(role), **data)


def build() -> World:
    users = {role: factories.User(fullname=f"{role} 姓名", password=PASSWORD) for role in ROLES
             if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    department = Department(title="枣庄市交通运输局", users=[
        {"name": users["dept_member"]["name"], "capacity": "member"},
        {"name": users["dept_editor"]["name"], "capacity": "editor"},
        {"name": users["dept_admin"]["name"], "capacity": "admin"}])
    other = Department(title="枣庄市卫生健康委员会", users=[
        {"name": users["other_editor"]["name"], "capacity": "editor"}])
    Department(name=tk.config.get("ckanext.zaozhuang.authority_organization"),
               title="枣庄市大数据局",
               users=[{"name": users["authority"]["name"], "capacity": "member"}])
    dataset = CatalogDataset(owner_org=department["id"], title="枣庄市公交线路信息",
                             resources=[{"name": "线路表", "url": "http://example.com/a.csv",
                                         "format": "CSV"}])
    other_dataset = CatalogDataset(owner_org=other["id"], title="枣庄市医疗机构名录")
    return World(users, department, other, dataset, other_dataset)


@pytest.fixture
def world(with_plugins, clean_db) -> World:
    return build()


@pytest.fixture
def web(world, app):
    """Pages as each role, through the test app with an API token."""
    tokens: dict[str, str] = {}

    def headers(role: str) -> dict[str, str]:
        if role == "anonymous":
            return {}
        if role not in tokens:
            name = world.name(role)
            tokens[role] = call_action("api_token_create", {"user": name}, user=name,
                                       name="test")["token"]
        return {"Authorization": tokens[role]}

    world.get = lambda role, url, **kw: app.get(url, headers=headers(role), **kw)
    world.post = lambda role, url, data, **kw: app.post(url, data=data, headers=headers(role),
                                                        **kw)
    return world
