"""A world seeded with canaries, for the adversarial test.

Every dataset carries two unique strings: a metadata canary (name, title, description, its own tag,
resource names and descriptions, a resource extra, view titles) and a data canary (the link
resource's URL, the uploaded file's name and content, a DataStore row, a resource extra
`access_url` pointing at the data, an image view's `image_url`). Whoever the access policy
denies the metadata must never receive the first; whoever it denies the data must never
receive the second.

Besides one dataset per opening × sharing combination there are a private one, a draft
one, a deleted one and a "downgraded" one (published unconditionally open, changed to
not_open by a sysadmin after it had a history)."""
from __future__ import annotations

import dataclasses
import io
from typing import Any

from werkzeug.datastructures import FileStorage

from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.activity.model import Activity

from tests.access.conftest import COMBOS, _grant, tier_fields
from tests.conftest import fresh_site
from tests.factories import CatalogDataset, Department

# The attackers. The providing department's editor and the authority may see everything;
# they are swept too, for server errors.
ROLES = (
    "anonymous", "registered", "open_grant_active", "other_department_member",
    "other_department_editor", "share_grant_member", "provider_editor", "authority",
)
SEES_EVERYTHING = {"provider_editor", "authority"}
DEPARTMENT_ROLES = {"other_department_member", "other_department_editor", "share_grant_member"}
AUTHORITY = "zz-dsjj"
PASSWORD = "canary-world-9"  # every user's, to log in through the form


@dataclasses.dataclass
class Entry:
    """One dataset of the world and what it carries."""
    key: str
    opening: str  # today's categories (a downgraded dataset: after the downgrade)
    sharing: str
    state: str  # public, private, draft or deleted
    meta: str
    data: str
    dataset: dict[str, Any] = dataclasses.field(default_factory=dict)
    upload: dict[str, Any] = dataclasses.field(default_factory=dict)
    link: dict[str, Any] = dataclasses.field(default_factory=dict)
    view_ids: list[str] = dataclasses.field(default_factory=list)
    activity_ids: list[str] = dataclasses.field(default_factory=list)
    # Frozen by a security incident: its data for the authority alone.
    frozen: bool = False

    @property
    def id(self) -> str:
        return self.dataset["id"]

    @property
    def resource_ids(self) -> list[str]:
        return [self.upload["id"], self.link["id"]]

    @property
    def handles(self) -> list[str]:
        """Strings that identify the dataset or its resources in an answer."""
        return [self.id, self.dataset["name"], *self.resource_ids]


def may_see_metadata(role: str, entry: Entry) -> bool:
    if role in SEES_EVERYTHING:
        return True
    if entry.state != "public":
        return False
    if entry.opening != "not_open":
        return True
    return role in DEPARTMENT_ROLES and entry.sharing != "none"


def may_get_data(role: str, entry: Entry) -> bool:
    if not may_see_metadata(role, entry):
        return False
    if entry.frozen:
        return role == "authority"
    if role in SEES_EVERYTHING or entry.opening == "unconditional":
        return True
    if role == "open_grant_active" and entry.opening == "conditional":
        return True
    if role in DEPARTMENT_ROLES:
        if entry.sharing == "unconditional":
            return True
        return role == "share_grant_member" and entry.sharing == "conditional"
    return False


def _populate(entry: Entry, org_id: str, publisher: str, **dataset_fields: Any) -> None:
    """Create the dataset, its two resources, DataStore table and views, all canaried."""
    meta, data = entry.meta, entry.data
    context = {"user": publisher}
    dataset = CatalogDataset(
        name=f"adv-{entry.key}-{meta}", title=f"金丝雀数据集 {meta}", notes=f"资源摘要 {meta}",
        tags=[{"name": meta}], owner_org=org_id, user=publisher, **dataset_fields)
    csv = f"区县,数量\n{data},12\n滕州市,30\n".encode("utf-8")
    upload = call_action(
        "resource_create", context, package_id=dataset["id"], name=f"数据文件 {meta}",
        description=f"文件说明 {meta}", url="", format="CSV", documentation=f"文档 {meta}",
        access_url=f"https://data.example.org/{data}/file",
        upload=FileStorage(io.BytesIO(csv), filename=f"{data}.csv"))
    call_action("datastore_create", context, resource_id=upload["id"], force=True,
                fields=[{"id": "区县", "type": "text"}, {"id": "数量", "type": "int"}],
                records=[{"区县": data, "数量": 12}, {"区县": "滕州市", "数量": 30}])
    table = call_action("resource_view_create", context, resource_id=upload["id"],
                        view_type="datatables_view", title=f"表格预览 {meta}")
    link = call_action(
        "resource_create", context, package_id=dataset["id"], name=f"接口链接 {meta}",
        description=f"接口说明 {meta}", url=f"https://data.example.org/{data}.csv",
        format="CSV", documentation=f"文档 {meta}",
        access_url=f"https://data.example.org/{data}/api")
    image = call_action("resource_view_create", context, resource_id=link["id"],
                        view_type="image_view", title=f"图片预览 {meta}",
                        image_url=f"https://data.example.org/{data}.png")
    entry.dataset, entry.upload, entry.link = dataset, upload, link
    entry.view_ids = [table["id"], image["id"]]


def build(reset_db, migrate_db_for, reset_index) -> dict[str, Any]:
    fresh_site(reset_db, migrate_db_for, reset_index)

    named = [r for r in ROLES if r != "anonymous"] + ["provider_admin", "authority_admin"]
    users = {role: factories.User(name=f"adv-{role.replace('_', '-')}", password=PASSWORD)
             for role in named}
    users["sysadmin"] = factories.Sysadmin(name="adv-sysadmin")

    def member(role, capacity):
        return {"name": users[role]["name"], "capacity": capacity}

    provider = Department(name="provider", users=[
        member("provider_editor", "editor"), member("provider_admin", "admin")])
    other = Department(name="other-department", users=[
        member("other_department_member", "member"), member("other_department_editor", "editor")])
    grantee = Department(name="grantee-department", users=[member("share_grant_member", "member")])
    authority = Department(name=AUTHORITY, users=[
        member("authority", "member"), member("authority_admin", "admin")])
    publisher = users["provider_admin"]["name"]

    entries: list[Entry] = []

    def entry(key, opening, sharing, state="public"):
        # Letters only: search analysis splits words at digits, and a canary's pieces would
        # match every other canary's.
        tag = "".join(chr(ord("a") + int(d)) for d in f"{len(entries) + 1:02d}")
        made = Entry(key, opening, sharing, state,
                     meta=f"mcanary{tag}zq", data=f"dcanary{tag}zq")
        entries.append(made)
        return made

    for opening, sharing in COMBOS:
        made = entry(f"{opening}-{sharing}".replace("_", ""), opening, sharing)
        _populate(made, provider["id"], publisher, **tier_fields(opening, sharing))
    made = entry("private", "unconditional", "unconditional", "private")
    _populate(made, provider["id"], publisher, private=True,
              **tier_fields("unconditional", "unconditional"))
    made = entry("draft", "unconditional", "unconditional", "draft")
    _populate(made, provider["id"], publisher, state="draft",
              **tier_fields("unconditional", "unconditional"))
    made = entry("deleted", "unconditional", "unconditional", "deleted")
    _populate(made, provider["id"], publisher, **tier_fields("unconditional", "unconditional"))
    call_action("package_delete", {"user": publisher}, id=made.id)
    made = entry("downgraded", "not_open", "none")
    _populate(made, provider["id"], publisher, **tier_fields("unconditional", "none"))
    call_action("resource_patch", {"user": publisher}, id=made.link["id"],
                description=f"接口说明(修订) {made.meta}")
    call_action("package_patch", {"user": users["sysadmin"]["name"]}, id=made.id,
                **tier_fields("not_open", "none"))
    made = entry("frozen", "unconditional", "unconditional")
    made.frozen = True
    _populate(made, provider["id"], publisher, **tier_fields("unconditional", "unconditional"))
    call_action("zaozhuang_incident_create",
                {"user": users["authority_admin"]["name"], "ignore_auth": False},
                subject="dataset", dataset_id=made.id, severity="serious",
                description="数据泄露,暂停访问")

    for made in entries:
        shown = call_action("package_show", {"ignore_auth": True}, id=made.id)
        expected_state = {"draft": "draft", "deleted": "deleted"}.get(made.state, "active")
        assert shown["state"] == expected_state, (made.key, shown["state"])
        assert shown["open_category"] == made.opening, made.key
        assert shown.get("private", False) == (made.state == "private"), made.key
        made.dataset = shown
        # Grants on every dataset: they must open nothing the policy does not open.
        _grant("open", made.id, "active", user_id=users["open_grant_active"]["id"])
        _grant("share", made.id, "active", organization_id=grantee["id"])
    model.Session.commit()

    for made in entries:
        activities = (model.Session.query(Activity.id)
                      .filter(Activity.object_id == made.id)
                      .order_by(Activity.timestamp).all())
        ids = [a.id for a in activities]
        # The first (as published), the last and one in between are enough.
        made.activity_ids = list(dict.fromkeys(ids[:1] + ids[len(ids) // 2:][:1] + ids[-1:]))
        assert made.activity_ids, made.key

    for made in entries:
        stored = call_action("resource_show", {"ignore_auth": True}, id=made.link["id"])
        assert stored.get("access_url") == f"https://data.example.org/{made.data}/api", stored
        view = call_action("resource_view_show", {"ignore_auth": True}, id=made.view_ids[1])
        assert made.data in view["image_url"], view

    tokens = {role: call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="adversarial")["token"]
              for role, user in users.items()}
    from ckanext.zaozhuang.access.model import Grant
    grant_ids = [g.id for g in model.Session.query(Grant).order_by(Grant.id)]
    model.Session.remove()
    return {
        "users": users, "tokens": tokens, "entries": entries, "grant_ids": grant_ids,
        "organizations": {o["name"]: o["id"] for o in (provider, other, grantee, authority)},
    }
