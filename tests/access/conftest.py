"""A small world for the access tests, built once per module: departments, users in every
role, datasets in every opening × sharing combination, each with an uploaded CSV (also in
the DataStore, with a table preview) and a link resource, and grants of every state."""
import datetime
import io
import itertools

import pytest

import ckan.plugins
from werkzeug.datastructures import FileStorage

from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import _get_test_app, call_action

from ckanext.zaozhuang.access.model import Grant
from tests.conftest import fresh_site
from tests.factories import CatalogDataset, Department

OPENINGS = ("unconditional", "conditional", "not_open")
SHARINGS = ("unconditional", "conditional", "none")
COMBOS = list(itertools.product(OPENINGS, SHARINGS))
ROLES = (
    "anonymous", "registered", "open_grant_active", "open_grant_expired",
    "open_grant_revoked", "other_department", "share_grant_department",
    "provider_editor", "provider_admin", "authority", "sysadmin",
)
CSV = "区县,数量\n市中区,12\n滕州市,30\n".encode("utf-8")


def combo_name(opening, sharing):
    return f"tier-{opening}-{sharing}".replace("_", "")


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _grant(kind, dataset_id, state, user_id=None, organization_id=None):
    start = _now() - datetime.timedelta(days=30)
    end = _now() + datetime.timedelta(days=30)
    if state == "expired":
        end = _now() - datetime.timedelta(days=1)
    grant = Grant(kind=kind, dataset_id=dataset_id, user_id=user_id,
                  organization_id=organization_id, valid_from=start, valid_until=end)
    if state == "revoked":
        grant.revoked_at, grant.revoked_by, grant.revoke_reason = _now(), "test", "违约"
    model.Session.add(grant)


def tier_fields(opening, sharing):
    """The opening and sharing categories with the conditions or basis each one needs."""
    fields = {"open_category": opening, "share_category": sharing}
    if opening == "conditional":
        fields["open_conditions"] = "须签署数据利用协议"
    if opening == "not_open":
        fields["not_open_basis"] = "依据《个人信息保护法》不予开放"
    if sharing == "conditional":
        fields["share_conditions"] = "限履职需要"
    return fields


def _dataset(opening, sharing, org_id, publisher):
    extra = {k: v for k, v in tier_fields(opening, sharing).items()
             if k not in ("open_category", "share_category")}
    name = combo_name(opening, sharing)
    # Published by a department admin, not the site user, whose activities are hidden.
    dataset = CatalogDataset(name=name, title=f"分级测试 {opening} {sharing}", owner_org=org_id,
                             open_category=opening, share_category=sharing, user=publisher,
                             **extra)
    context = {"user": publisher}
    upload = call_action("resource_create", context, package_id=dataset["id"], name="数据文件",
                         url="", format="CSV",
                         upload=FileStorage(io.BytesIO(CSV), filename="data.csv"))
    call_action("datastore_create", context, resource_id=upload["id"], force=True,
                fields=[{"id": "区县", "type": "text"}, {"id": "数量", "type": "int"}],
                records=[{"区县": "市中区", "数量": 12}, {"区县": "滕州市", "数量": 30}])
    view = call_action("resource_view_create", context, resource_id=upload["id"],
                       view_type="datatables_view", title="表格预览")
    link = call_action("resource_create", context, package_id=dataset["id"], name="接口链接",
                       url=f"https://data.example.org/secret-{name}.csv", format="CSV")
    return {"dataset": call_action("package_show", context, id=dataset["id"]),
            "upload": upload, "link": link, "view": view}


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for, reset_index):
    fresh_site(reset_db, migrate_db_for, reset_index)
    users = {role: factories.User(name=role.replace("_", "-")) for role in ROLES
             if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin(name="sys-admin")
    provider = Department(name="provider", users=[
        {"name": users["provider_editor"]["name"], "capacity": "editor"},
        {"name": users["provider_admin"]["name"], "capacity": "admin"}])
    Department(name="other-department", users=[
        {"name": users["other_department"]["name"], "capacity": "member"}])
    grantee = Department(name="grantee-department", users=[
        {"name": users["share_grant_department"]["name"], "capacity": "member"}])
    Department(name="zz-dsjj", users=[{"name": users["authority"]["name"], "capacity": "member"}])

    datasets = {combo: _dataset(*combo, provider["id"], users["provider_admin"]["name"])
                for combo in COMBOS}
    for entry in datasets.values():
        dataset_id = entry["dataset"]["id"]
        for state in ("active", "expired", "revoked"):
            _grant("open", dataset_id, state, user_id=users[f"open_grant_{state}"]["id"])
        _grant("share", dataset_id, "active", organization_id=grantee["id"])
    model.Session.commit()

    tokens = {role: call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="matrix")["token"]
              for role, user in users.items()}
    yield {"users": users, "datasets": datasets, "tokens": tokens, "app": _get_test_app()}
    search.clear_all()
    ckan.plugins.unload_all()
