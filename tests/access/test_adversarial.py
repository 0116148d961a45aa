"""The adversarial test: a world where every field, file, link and table carries a unique
canary (canary_world.py), swept by every role through every GET-able action of the API and
every GET route of the app, with parameters chosen to pry. Nothing may answer 500, and no
canary may reach a role the access policy denies it. The sweep collects every failure,
prints them grouped by path and kind with the number of requests made, then fails.

A canary that the role itself put in the request does not count (error messages echo
parameters); the providing department and the authority legitimately see everything and
are swept for server errors only."""
from __future__ import annotations

import base64
import collections
import io
import json
import re
import time
import zipfile
from typing import Any, Iterable, Optional
from urllib.parse import urlencode

import pytest

import ckan.logic
import ckan.plugins
from ckan import model
from ckan.lib import search
from ckan.tests.helpers import _get_test_app, call_action

from tests.access import canary_world
from tests.access.canary_world import ROLES, SEES_EVERYTHING, may_get_data, may_see_metadata
from tests.factories import CatalogDataset


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for, reset_index):
    built = canary_world.build(reset_db, migrate_db_for, reset_index)
    built["app"] = _get_test_app()
    yield built
    search.clear_all()
    ckan.plugins.unload_all()


# --- the prober -------------------------------------------------------------------------

class Prober:
    """Sends requests as a role and records every 500 and every canary that got out."""

    def __init__(self, world: dict[str, Any]):
        self.world = world
        # No cookies: each request is authenticated by its token only.
        self.client = world["app"].test_client(use_cookies=False)
        self.requests = 0
        self.per_label: collections.Counter = collections.Counter()
        self.failures: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, role: str, label: str, path: str, params: Optional[dict[str, Any]] = None,
            searches: bool = False):
        """`searches`: the path searches text, so finding a dataset by a canary the role may
        not have is itself a leak."""
        query = urlencode(params or {}, doseq=True)
        url = f"{path}?{query}" if query else path
        headers = {"Authorization": self.world["tokens"][role]} if role != "anonymous" else {}
        self.requests += 1
        self.per_label[label] += 1
        try:
            response = self.client.get(url, headers=headers, follow_redirects=False)
        except Exception as error:  # the test app re-raises what a live site answers 500 to
            self.fail(label, "status 500", role, url, f"{type(error).__name__}: {error}"[:160])
            return None
        finally:
            model.Session.remove()
        self.check(role, label, url, response, searches)
        return response

    def fail(self, label: str, kind: str, role: str, url: str, detail: str = "") -> None:
        failure = self.failures.setdefault((label, kind), {
            "roles": set(), "datasets": set(), "example": url, "count": 0})
        failure["roles"].add(role)
        if detail:
            failure["datasets"].add(detail)
        failure["count"] += 1

    def check(self, role: str, label: str, url: str, response, searches: bool) -> None:
        if response.status_code >= 500:
            self.fail(label, "status 500", role, url)
        if role in SEES_EVERYTHING:
            return
        body = readable(response.get_data())
        from urllib.parse import unquote
        request = unquote(url)
        for entry in self.world["entries"]:
            sees, gets = may_see_metadata(role, entry), may_get_data(role, entry)
            if not sees and entry.meta in body and entry.meta not in request:
                self.fail(label, "metadata canary", role, url, entry.key)
            if not gets and entry.data in body and entry.data not in request:
                self.fail(label, "data canary", role, url, entry.key)
            # A search for a canary the role may not have must not find the dataset.
            probed = ((not sees and entry.meta in request) or (not gets and entry.data in request))
            if searches and probed and response.status_code == 200 and any(
                    h in body and h not in request for h in entry.handles):
                self.fail(label, "found by a denied canary", role, url, entry.key)

    def report(self, title: str, elapsed: float) -> list[str]:
        print(f"\nadversarial: {self.requests} requests ({title}) in {elapsed:.0f} s, "
              f"{len(self.failures)} failure classes")
        lines = []
        busiest = ", ".join(f"{label} {n}" for label, n in self.per_label.most_common(5))
        print(f"  most requested: {busiest}")
        for (label, kind), f in sorted(self.failures.items()):
            line = (f"  {label} -> {kind}: roles {sorted(f['roles'])}; "
                    f"datasets {sorted(f['datasets'])}; {f['count']}x; e.g. {f['example']}")
            lines.append(line)
            print(line)
        return lines


def readable(raw: bytes) -> str:
    """The text of an answer, with what it wraps opened up: a zip (xlsx) is unpacked and
    base64 `content` of an API result decoded, so a canary cannot hide in an export."""
    parts = [raw.decode("utf-8", "replace")]
    if raw[:2] == b"PK":
        parts.extend(_unzipped(raw))
    try:
        result = json.loads(raw).get("result")
    except (ValueError, AttributeError):
        result = None
    if isinstance(result, dict) and isinstance(result.get("content"), str):
        decoded = base64.b64decode(result["content"])
        parts.append(decoded.decode("utf-8", "replace"))
        if decoded[:2] == b"PK":
            parts.extend(_unzipped(decoded))
    return "\n".join(parts)


def _unzipped(raw: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    except zipfile.BadZipFile:
        return []


# --- what each role probes ---------------------------------------------------------------

def targets(world, role) -> list:
    """The datasets worth prying at as this role: those it is denied something of, and the
    first dataset it may fully get (for server errors)."""
    entries = world["entries"]
    if role in SEES_EVERYTHING:
        # Nothing to leak: one dataset of each kind, for server errors.
        kinds = {}
        for e in entries:
            kinds.setdefault((e.state, e.opening != "unconditional"), e)
        return list(kinds.values())
    denied = [e for e in entries if not may_get_data(role, e)]
    allowed = [e for e in entries if may_get_data(role, e)][:1]
    return denied + allowed


def user_names(world, role) -> list[str]:
    """The publisher (whose activity covers every dataset), a colleague of the provider, the
    authority's member and the role itself."""
    users = world["users"]
    names = [users[r]["name"] for r in ("provider_admin", "provider_editor", "authority")]
    if role in users and users[role]["name"] not in names:
        names.append(users[role]["name"])
    return names


def org_names(world) -> list[str]:
    return list(world["organizations"])


GENERIC_QUERIES = [
    {},
    {"q": "*:*", "query": "url:http", "rows": 1000, "limit": 1000, "include_private": "true",
     "include_drafts": "true", "include_deleted": "true", "all_fields": "true",
     "include_dataset_count": "true", "include_extras": "true", "include_users": "true"},
    {"q": "*:*", "fl": "validated_data_dict", "rows": 1000, "include_private": "true"},
    {"q": "*:*", "fl": "data_dict", "rows": 1000, "include_private": "true",
     "include_drafts": "true"},
    {"q": "*:*", "fl": "id,name,title,notes,res_url,res_name,res_extras_access_url,text",
     "rows": 1000, "include_private": "true"},
    {"q": "data.example.org", "query": "url:data.example.org", "rows": 1000},
    {"fq": "+state:(draft OR deleted)", "include_drafts": "true", "include_deleted": "true",
     "include_private": "true", "rows": 1000, "query": "name:canary"},
    {"facet.field": '["res_url", "tags", "res_name", "title"]', "facet.limit": -1, "rows": 0},
    {"q": "*:*", "wt": "xml", "rows": 1000},
    {"scope": "review", "format": "csv"},
    {"scope": "mine", "format": "xlsx"},
]

# Actions that take a query rather than the id of something.
SEARCHES = {
    "package_search", "resource_search", "package_list", "package_autocomplete",
    "current_package_list_with_resources", "tag_list", "tag_search", "tag_autocomplete",
    "format_autocomplete", "dcat_catalog_search", "dcat_catalog_show", "group_list",
    "organization_list", "group_autocomplete", "organization_autocomplete", "user_list",
    "user_autocomplete", "recently_changed_packages_activity_list", "dashboard_activity_list",
    "zaozhuang_catalog_export", "zaozhuang_overdue_list", "zaozhuang_audit_list",
    "zaozhuang_grant_list", "zaozhuang_application_list", "zaozhuang_usage_report_list",
    "zaozhuang_agreement_template_list", "followee_list", "group_list_authz",
    "organization_list_for_user",
}


# Actions that search text: each is also asked for every canary the role may not have.
TEXT_SEARCHES = {
    "package_search", "resource_search", "package_autocomplete", "tag_list", "tag_search",
    "tag_autocomplete", "dcat_catalog_search", "format_autocomplete",
}


def canary_queries(entry) -> list[dict[str, Any]]:
    """`q` for the dataset searches, `query` for the resource and tag searches."""
    return [
        {"q": entry.meta, "query": f"name:{entry.meta}", "rows": 1000,
         "include_private": "true"},
        {"q": entry.data, "query": f"url:{entry.data}", "rows": 1000,
         "include_private": "true"},
    ]


def dataset_params(e) -> list[dict[str, Any]]:
    return [{"id": e.id, "package_id": e.id, "dataset_id": e.id,
             "include_hidden_activity": "true", "include_plugin_data": "true", "limit": 1000}]


def resource_params(e) -> list[dict[str, Any]]:
    return [{"id": r, "resource_id": r, "include_meta": "true", "include_total": "true",
             "limit": 1000} for r in e.resource_ids]


def sql_params(e) -> list[dict[str, Any]]:
    table = e.upload["id"]
    return [{"sql": sql} for sql in (
        f'SELECT * FROM "{table}"',
        f'SELECT * FROM (SELECT * FROM "{table}") AS t',
        f'WITH t AS (SELECT * FROM "{table}") SELECT * FROM t',
        f'SELECT * FROM "_table_metadata" WHERE name = \'{table}\'',
    )]


def activity_params(e) -> list[dict[str, Any]]:
    return [{"id": a, "object_type": "package", "include_data": "true", "diff_type": "unified"}
            for a in e.activity_ids]


def action_params(world, role, name: str, documented: set[str]) -> Iterable[dict[str, Any]]:
    """Every plausible parameter set for one action as one role."""
    entries = targets(world, role)
    takes_id = bool(documented & {"id", "resource_id", "user_id"}) or not documented
    yield from GENERIC_QUERIES[:1] + (GENERIC_QUERIES[1:] if name in SEARCHES else [])
    if name in TEXT_SEARCHES:
        for e in entries:
            yield from canary_queries(e)
    if name in ("activity_show", "activity_data_show", "activity_diff"):
        for e in entries:
            yield from activity_params(e)
    elif name == "datastore_search_sql":
        for e in entries:
            yield from sql_params(e)
    elif name == "resource_view_show":
        for e in entries:
            yield from ({"id": v} for v in e.view_ids)
    elif name.startswith(("resource_", "datastore_")) and name != "resource_search":
        for e in entries:
            yield from resource_params(e)
    elif name in ("package_activity_list",) or (
            name.startswith(("package_", "dataset_", "am_following_dataset"))
            and takes_id and name not in SEARCHES):
        for e in entries:
            yield from dataset_params(e)
    elif name in ("organization_activity_list", "group_activity_list") or (
            name.startswith(("organization_", "group_", "member_", "am_following_group"))
            and takes_id and name not in SEARCHES):
        for org in org_names(world):
            yield {"id": org, "include_datasets": "true", "include_dataset_count": "true",
                   "include_extras": "true", "include_users": "true", "limit": 1000,
                   "object_type": "package"}
    elif name in ("user_activity_list", "zaozhuang_applicant_profile_show") or (
            name.startswith(("user_", "followee_", "am_following_user"))
            and takes_id and name not in SEARCHES):
        for user in user_names(world, role):
            yield {"id": user, "user_id": user, "include_datasets": "true",
                   "include_plugin_extras": "true", "limit": 1000}
    elif name.startswith("zaozhuang_"):
        for scope in ("review", "mine"):
            yield {"scope": scope, "owner_org": "provider", "organization_id": "provider",
                   "format": "csv"}
        for e in entries:
            yield {"scope": "review", "dataset_id": e.id}
        for grant in world["grant_ids"][:3]:
            yield {"id": grant, "application_id": grant}
    elif takes_id:
        # Actions about something else (tags, vocabularies, files, jobs...): one id of each
        # kind, so they answer without a server error whatever they are given.
        sample = world["entries"][0]
        for value in (sample.id, sample.upload["id"], sample.view_ids[0], "provider",
                      user_names(world, role)[0], sample.meta):
            yield {"id": value, "key": value}


def get_actions() -> dict[str, Any]:
    ckan.logic.get_action("package_show")  # builds the registry
    return {name: fn for name, fn in sorted(ckan.logic._actions.items())
            if getattr(fn, "side_effect_free", False)}


def documented_params(fn) -> set[str]:
    return set(re.findall(r":param (\w+):", getattr(fn, "__doc__", "") or ""))


def test_every_get_action_leaks_nothing(world):
    prober = Prober(world)
    actions = get_actions()
    assert "package_show" in actions and "zaozhuang_grant_list" in actions
    start = time.monotonic()
    for role in ROLES:
        for name, fn in actions.items():
            documented = documented_params(fn)
            seen = set()
            for params in action_params(world, role, name, documented):
                if documented:
                    # Keep what the action documents, plus paging and search settings.
                    params = {k: v for k, v in params.items()
                              if k in documented or k in ("q", "rows", "fl", "fq", "wt",
                                                          "include_private", "limit")}
                key = json.dumps(params, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                prober.get(role, name, f"/api/3/action/{name}", params,
                           searches=name in TEXT_SEARCHES)
        print(f"  {role}: {prober.requests} requests so far, {time.monotonic() - start:.0f} s",
              flush=True)
    lines = prober.report(f"{len(actions)} GET actions x {len(ROLES)} roles",
                          time.monotonic() - start)
    assert not prober.failures, "\n".join(lines)


# --- routes -----------------------------------------------------------------------------

SKIPPED_ENDPOINTS = {
    "static", "webassets.index", "api.action", "home.redirect_locale", "user.logout",
    "file.public_download", "file.trusted_download", "util.internal_redirect",
}
DCAT_FORMATS = ("rdf", "ttl", "jsonld")
FORMS = (".edit", ".delete", ".new", ".edit_view", ".views")


def _expand(rule: str, values: dict[str, Iterable[str]]) -> list[str]:
    """Every URL of a rule with its variables replaced by each of their values."""
    urls = [rule]
    for var in re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule):
        pattern = re.compile(r"<(?:[^:<>]+:)?" + re.escape(var) + ">")
        urls = [pattern.sub(v, u, count=1) for u in urls for v in values.get(var, ())]
    return urls


def route_urls(world, role, rule) -> list[str]:
    """The URLs of one GET rule worth requesting as this role."""
    path, entries = rule.rule, targets(world, role)
    variables = set(rule.arguments)
    if rule.endpoint in SKIPPED_ENDPOINTS:
        return []
    if not variables:
        return [path]
    urls: list[str] = []
    common = {"_format": DCAT_FORMATS, "lang": ["zh_Hans_CN"], "ver": ["3"],
              "fmt": ["csv", "xlsx"], "filename": ["file.csv"], "step": ["submit"]}
    if path.startswith(("/dataset", "/dataset_series")):
        for e in entries:
            per = dict(common, id=[e.id], _id=[e.id], resource_id=e.resource_ids,
                       view_id=e.view_ids, activity_id=e.activity_ids[::2])
            if rule.endpoint.endswith(FORMS) or {"activity_id", "resource_id"} <= variables:
                # Forms and history pages of a resource: the uploaded file's suffices.
                urls += _expand(path, dict(per, resource_id=[e.upload["id"]],
                                           view_id=e.view_ids[:1]))
            elif "resource_id" in variables and "view_id" in variables:
                # A view belongs to one resource.
                urls += _expand(path.replace("<resource_id>", e.upload["id"]),
                                dict(per, view_id=e.view_ids[:1]))
                urls += _expand(path.replace("<resource_id>", e.link["id"]),
                                dict(per, view_id=e.view_ids[1:]))
            else:
                urls += _expand(path, per)
    elif path.startswith("/datastore/"):
        for e in entries:
            urls += _expand(path, dict(common, resource_id=[e.upload["id"]]))
    elif path.startswith(("/organization", "/group", "/feeds/group", "/feeds/organization")):
        urls += _expand(path, dict(common, id=org_names(world)))
    elif path.startswith("/feeds/tag"):
        for e in entries:
            urls += _expand(path, dict(common, id=[e.meta]))
    elif path.startswith("/user"):
        urls += _expand(path, dict(common, id=user_names(world, role)))
    elif path.startswith("/grants"):
        urls += _expand(path, dict(common, id=world["grant_ids"][:3]))
    elif path.startswith("/applications"):
        urls += _expand(path, dict(common, id=["no-such-application"]))
    elif path.startswith("/file/"):
        urls += _expand(path, dict(common, id=[entries[0].upload["id"]]))
    else:
        urls += _expand(path, common)
    return urls


# The general feed (/feeds/dataset.atom) ignores q; the custom feed searches.
SEARCH_PAGES = ("/dataset/", "/organization/provider", "/feeds/custom.atom", "/catalog.rdf")


def page_queries(world, role) -> list[tuple[str, dict[str, Any]]]:
    """Search pages asked for everything, and for each canary the role may not have."""
    pages = []
    for page in SEARCH_PAGES:
        pages.append((page, {"q": "*:*", "rows": 1000}))
        pages.append((page, {"q": "data.example.org", "res_format": "CSV"}))
        for e in targets(world, role):
            pages.append((page, {"q": e.meta}))
            pages.append((page, {"q": e.data}))
    return pages


def test_every_route_leaks_nothing(world):
    prober = Prober(world)
    rules = [r for r in world["app"].flask_app.url_map.iter_rules() if "GET" in r.methods]
    start = time.monotonic()
    for role in ROLES:
        seen = set()
        for rule in rules:
            for url in route_urls(world, role, rule):
                if url in seen:
                    continue  # the same path under two blueprints
                seen.add(url)
                prober.get(role, f"{rule.endpoint} {rule.rule}", url)
        for page, params in page_queries(world, role):
            prober.get(role, f"{page} ?q=", page, params, searches=True)
        print(f"  {role}: {prober.requests} requests so far, {time.monotonic() - start:.0f} s",
              flush=True)
    lines = prober.report(f"{len(rules)} GET routes x {len(ROLES)} roles",
                          time.monotonic() - start)
    assert not prober.failures, "\n".join(lines)


# --- explicit cases ---------------------------------------------------------------------

def test_cookie_session_post_without_csrf_token_is_refused(world):
    """A page of any other site that makes a logged-in publisher's browser POST a form to
    the API must not act in their name: the session cookie alone, without a CSRF token,
    is refused."""
    from ckanext.zaozhuang.applications.model import Application

    app = world["app"]
    # Some visitor's earlier API request, as on any live site.
    app.test_client(use_cookies=False).get("/api/3/action/status_show")
    target = next(e for e in world["entries"]
                  if e.opening == "conditional" and e.state == "public")
    applications = model.Session.query(Application).count()
    model.Session.remove()

    answers = {}
    for action, data in (
            ("package_patch", {"id": target.id, "title": "跨站请求伪造"}),
            ("zaozhuang_application_create", {"dataset_id": target.id, "purpose": "跨站请求伪造"})):
        # The victim, a publisher, has a browser session: their dashboard opens.
        app.client = app.test_client()
        app.set_remember_user(world["users"]["provider_editor"]["id"])
        assert app.client.get("/dashboard/datasets").status_code == 200
        response = app.client.post(f"/api/3/action/{action}", data=data,
                                   content_type="application/x-www-form-urlencoded")
        answers[action] = response.status_code
        print(f"cross-site {action}: {response.status_code} "
              f"{response.get_data(as_text=True)[:160]}")
        model.Session.remove()
    title = call_action("package_show", {"ignore_auth": True}, id=target.id)["title"]
    created = model.Session.query(Application).count() - applications
    model.Session.remove()
    assert title != "跨站请求伪造", f"the dataset was changed by a cross-site form: {answers}"
    assert created == 0, f"an application was created by a cross-site form: {answers}"
    assert all(code in (400, 403) for code in answers.values()), answers


def test_grant_list_for_review_shows_no_other_departments_grants(world):
    """An editor of another department reviews their own department's grants only."""
    response = world["app"].test_client(use_cookies=False).get(
        "/api/3/action/zaozhuang_grant_list", query_string={"scope": "review"},
        headers={"Authorization": world["tokens"]["other_department_editor"]})
    assert response.status_code in (200, 403), response.status_code
    if response.status_code == 200:
        provider = world["organizations"]["provider"]
        leaked = [g for g in response.json["result"] if g.get("provider_id") == provider]
        assert not leaked, f"{len(leaked)} grants of the provider's datasets"


def test_authority_admin_may_restrict_opening(world):
    """An admin of the authority's organization, not a sysadmin, restricts a department's
    dataset from unconditional to conditional opening through the real API."""
    dataset = CatalogDataset(owner_org=world["organizations"]["provider"],
                             user=world["users"]["provider_admin"]["name"])
    assert not world["users"]["authority_admin"]["sysadmin"]
    response = world["app"].test_client(use_cookies=False).post(
        "/api/3/action/package_patch",
        json={"id": dataset["id"], "open_category": "conditional",
              "open_conditions": "须签署数据利用协议"},
        headers={"Authorization": world["tokens"]["authority_admin"]})
    model.Session.remove()
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    shown = call_action("package_show", {"ignore_auth": True}, id=dataset["id"])
    assert shown["open_category"] == "conditional"


@pytest.mark.parametrize("action", ["organization_create", "group_create"])
def test_registered_user_may_not_create_organizations_or_groups(world, action):
    response = world["app"].test_client(use_cookies=False).post(
        f"/api/3/action/{action}", json={"name": f"rogue-{action.replace('_', '-')}",
                                         "title": "冒充部门"},
        headers={"Authorization": world["tokens"]["registered"]})
    model.Session.remove()
    assert response.status_code == 403, (response.status_code,
                                         response.get_data(as_text=True)[:300])
    assert model.Group.get(f"rogue-{action.replace('_', '-')}") is None
