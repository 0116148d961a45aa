"""Agreement texts: the placeholders a template may use, choosing the template that applies,
and rendering it from an application."""
from __future__ import annotations

import hashlib
import string
from typing import Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.agreements.model import AgreementTemplate
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.applications.model import Application

_ = tk._

# Placeholder → what it stands for (shown to template authors).
PLACEHOLDERS = {
    "platform": "平台名称",
    "provider": "数据提供单位(甲方)",
    "applicant": "数据使用方(乙方)名称",
    "applicant_identifier": "乙方统一社会信用代码或联系电话",
    "applicant_contact": "乙方联系人及联系方式",
    "dataset": "数据资源名称",
    "dataset_code": "资源代码",
    "resources": "申请的数据资源(全部或所列资源)",
    "purpose": "用途",
    "scenario": "应用场景",
    "security_measures": "安全保障措施",
    "expected_results": "预期成果",
    "period_start": "使用期限起",
    "period_end": "使用期限止",
    "application_id": "申请编号",
    "date": "协议生成日期",
}


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders a body uses that do not exist, or malformed `$` uses (as `$`)."""
    template = string.Template(body)
    if not template.is_valid():
        return ["$"]
    return sorted(set(template.get_identifiers()) - set(PLACEHOLDERS))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest(organization_id: Optional[str]) -> Optional[AgreementTemplate]:
    """The newest version of a department's own template (None: the portal-wide one)."""
    scope = (AgreementTemplate.organization_id.is_(None) if organization_id is None
             else AgreementTemplate.organization_id == organization_id)
    return (model.Session.query(AgreementTemplate).filter(scope)
            .order_by(AgreementTemplate.version.desc()).first())


def next_version(organization_id: Optional[str]) -> int:
    scope = (AgreementTemplate.organization_id.is_(None) if organization_id is None
             else AgreementTemplate.organization_id == organization_id)
    current = model.Session.query(sa.func.max(AgreementTemplate.version)).filter(scope).scalar()
    return (current or 0) + 1


def template_for(provider_id: str) -> Optional[AgreementTemplate]:
    """The providing department's own template if it has one, else the portal-wide one."""
    return latest(provider_id) or latest(None)


def _applicant(application: Application) -> tuple[str, str, str]:
    who = application.applicant
    if application.applicant_type == "individual":
        return who.get("real_name", ""), who.get("phone", ""), who.get("phone", "")
    if application.applicant_type == "department":
        org = model.Group.get(application.organization_id)
        return (org.title if org else "", org.extras.get("provider_code", "") if org else "",
                who.get("contact_name") or "")
    contact = " ".join(filter(None, (who.get("contact_name"), who.get("contact_phone"),
                                     who.get("contact_email"))))
    return who.get("entity_name", ""), who.get("credit_code", ""), contact


def values(application: Application) -> dict[str, str]:
    dataset = model.Package.get(application.dataset_id)
    provider = model.Group.get(application.provider_id)
    if application.resource_ids is None:
        resources = _("all resources of the dataset")
    else:
        names = {r.id: r.name or r.id for r in dataset.resources}
        resources = "、".join(names.get(i, i) for i in application.resource_ids)
    name, identifier, contact = _applicant(application)
    return {
        "platform": tk.config.get("ckan.site_title"),
        "provider": provider.title if provider else "",
        "applicant": name,
        "applicant_identifier": identifier,
        "applicant_contact": contact,
        "dataset": dataset.title,
        "dataset_code": (dataset.extras or {}).get("catalog_code", ""),
        "resources": resources,
        "purpose": application.purpose,
        "scenario": application.scenario,
        "security_measures": application.security_measures,
        "expected_results": application.expected_results,
        "period_start": application.period_start.isoformat(),
        "period_end": application.period_end.isoformat(),
        "application_id": application.id,
        "date": calendar.local_date(now()).isoformat(),
    }


def render(template: AgreementTemplate, application: Application) -> str:
    return string.Template(template.body).substitute(values(application))
