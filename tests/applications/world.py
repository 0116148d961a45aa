"""A providing department with a conditional dataset, the people around it, and helpers to
take an application through its lifecycle with the real actions."""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.agreements.demo import SAMPLE_BODY, SAMPLE_TITLE
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.schema.validators import credit_code_check_character
from tests.factories import CatalogDataset, Department

ROLES = ("anonymous", "applicant", "other_user", "provider_member", "provider_editor",
         "provider_admin", "other_department", "authority", "sysadmin")
REVIEWERS = {"provider_editor", "provider_admin", "authority", "sysadmin"}
PASSWORD = "Zz-test-pass-2026"


def credit_code(body: str = "91370400MA3C12345") -> str:
    return body + credit_code_check_character(body)


def today() -> datetime.date:
    return calendar.local_date(datetime.datetime.now(datetime.timezone.utc))


@dataclasses.dataclass
class World:
    users: dict[str, dict[str, Any]]
    provider: dict[str, Any]
    other_department: dict[str, Any]
    dataset: dict[str, Any]
    open_dataset: dict[str, Any]

    def name(self, role: str) -> str | None:
        return None if role == "anonymous" else self.users[role]["name"]

    def context(self, role: str) -> dict[str, Any]:
        return {"user": self.name(role), "ignore_auth": False}

    def act(self, role: str, action: str, **data: Any) -> Any:
        return call_action(f"zaozhuang_{action}", self.context(role), **data)

    def application_data(self, **overrides: Any) -> dict[str, Any]:
        start = today()
        data = {
            "dataset_id": self.dataset["id"],
            "applicant_type": "enterprise",
            "entity_name": "枣庄示例科技有限公司",
            "credit_code": credit_code(),
            "contact_name": "王敏",
            "contact_phone": "13806320001",
            "contact_email": "wangmin@example.com",
            "purpose": "企业信用风险评估模型训练",
            "scenario": "为本地小微企业提供融资信用参考",
            "security_measures": "数据存放于内网服务器,专人专岗,访问留痕",
            "expected_results": "信用评估报告一份",
            "period_start": start.isoformat(),
            "period_end": (start + datetime.timedelta(days=89)).isoformat(),
            "pledge_accepted": True,
        }
        data.update(overrides)
        return data

    def apply(self, role: str = "applicant", **overrides: Any) -> dict[str, Any]:
        return self.act(role, "application_create", **self.application_data(**overrides))

    def in_state(self, state: str, **overrides: Any) -> dict[str, Any]:
        """An application taken by the real actions to `state`."""
        app = self.apply(**overrides)
        steps = {
            "draft": [],
            "submitted": [("applicant", "submit")],
            "returned": [("applicant", "submit"), ("provider_editor", "return")],
            "withdrawn": [("applicant", "withdraw")],
            "approved": [("applicant", "submit"), ("provider_admin", "approve")],
            "rejected": [("applicant", "submit"), ("provider_admin", "reject")],
            "active": [("applicant", "submit"), ("provider_admin", "approve"), ("applicant", "sign")],
            "revoked": [("applicant", "submit"), ("provider_admin", "approve"),
                        ("applicant", "sign"), ("provider_admin", "revoke")],
        }[state]
        for role, step in steps:
            if step == "sign":
                self.sign(app["id"])
            elif step == "revoke":
                grant = self.act("provider_admin", "grant_list", scope="review",
                                 application_id=app["id"])[0]
                self.act(role, "grant_revoke", id=grant["id"], reason="违反协议")
            else:
                self.act(role, f"application_{step}", id=app["id"], reason="需要补充材料")
        return self.act("applicant", "application_show", id=app["id"])

    def sign(self, application_id: str, role: str = "applicant") -> dict[str, Any]:
        agreement = self.act(role, "agreement_show", application_id=application_id)
        return self.act(role, "agreement_sign", application_id=application_id,
                        text_sha256=agreement["text_sha256"], accept=True)


def build() -> World:
    users = {role: factories.User(fullname=role, password=PASSWORD) for role in ROLES
             if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    provider = Department(title="枣庄市市场监督管理局", users=[
        {"name": users["provider_member"]["name"], "capacity": "member"},
        {"name": users["provider_editor"]["name"], "capacity": "editor"},
        {"name": users["provider_admin"]["name"], "capacity": "admin"},
    ])
    other = Department(title="枣庄市交通运输局", users=[
        {"name": users["other_department"]["name"], "capacity": "admin"}])
    Department(name=tk.config.get("ckanext.zaozhuang.authority_organization"),
               title="枣庄市大数据局",
               users=[{"name": users["authority"]["name"], "capacity": "member"}])
    dataset = CatalogDataset(
        owner_org=provider["id"], title="枣庄市企业信用评价信息", data_level="important",
        open_category="conditional", open_conditions="签署数据利用协议",
        share_category="conditional", share_conditions="履职需要",
        resources=[{"name": "信用评价结果", "url": "http://example.com/credit.csv",
                    "format": "CSV"},
                   {"name": "失信记录", "url": "http://example.com/records.csv",
                    "format": "CSV"}])
    open_dataset = CatalogDataset(owner_org=provider["id"])
    call_action("zaozhuang_agreement_template_create", {"user": users["sysadmin"]["name"]},
                title=SAMPLE_TITLE, body=SAMPLE_BODY)
    return World(users, provider, other, dataset, open_dataset)


@pytest.fixture
def world(with_plugins, clean_db) -> World:
    return build()
