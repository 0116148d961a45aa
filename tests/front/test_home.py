"""The front door: the home page, its figures, the information pages, licences and pages
without third-party requests, through real auth as each visitor."""
import re

import pytest
import segno
from bs4 import BeautifulSoup, Comment, Doctype

import ckan.plugins
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import _get_test_app, call_action

from ckanext.zaozhuang.schema import vocabularies
from tests.conftest import fresh_site, sql_statements
from tests.factories import CatalogDataset, Department

LINK = {"url": "https://data.example.org/file.csv", "name": "数据文件", "format": "CSV"}
HIDDEN = ("隐藏不予开放数据", "隐藏私有数据", "隐藏草稿数据", "隐藏部门数据", "隐藏已删除数据")
# Only the open and the conditional dataset of the transport bureau are the public's.
# Nothing has been used yet (tests/usage counts use).
UNUSED = {"views": 0, "downloads": 0, "api_calls": 0}
PUBLIC_FIGURES = {"datasets": 2, "by_open_category": {"unconditional": 1, "conditional": 1},
                  "departments": 1, "resources": 3, **UNUSED, "recent": UNUSED}


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for, reset_index):
    fresh_site(reset_db, migrate_db_for, reset_index)
    # Chinese where CKAN's factories write English filler: it is shown on the pages.
    publisher = factories.User(name="publisher", fullname="李强", about="交通运输局数据管理员")
    citizen = factories.User(name="wang-min", fullname="王敏", about="关注公共交通数据")
    sysadmin = factories.Sysadmin(name="front-sysadmin", fullname="平台管理员")
    transport = Department(name="zz-jtysj", title="枣庄市交通运输局",
                           users=[{"name": "publisher", "capacity": "admin"}])
    # A department whose only dataset is not open: it is no providing department in public.
    closed = Department(name="zz-closed", title="隐藏部门",
                        users=[{"name": "publisher", "capacity": "admin"}])
    datasets = {
        "open": CatalogDataset(name="bus-routes", title="滕州市公交线路", owner_org=transport["id"],
                               spatial_coverage=["370481"], resources=[LINK, LINK],
                               user="publisher"),
        "conditional": CatalogDataset(
            name="enterprise-credit", title="企业信用评价", owner_org=transport["id"],
            open_category="conditional", open_conditions="须签署数据利用协议",
            resources=[LINK], user="publisher"),
        "not_open": CatalogDataset(
            name="hidden-not-open", title=HIDDEN[0], owner_org=transport["id"],
            open_category="not_open", not_open_basis="依法不予开放", resources=[LINK],
            user="publisher"),
        "private": CatalogDataset(name="hidden-private", title=HIDDEN[1],
                                  owner_org=transport["id"], private=True, resources=[LINK],
                                  user="publisher"),
        "draft": CatalogDataset(name="hidden-draft", title=HIDDEN[2], owner_org=transport["id"],
                                state="draft", resources=[LINK], user="publisher"),
        "closed": CatalogDataset(name="hidden-closed", title=HIDDEN[3], owner_org=closed["id"],
                                 open_category="not_open", not_open_basis="依法不予开放",
                                 user="publisher"),
        "deleted": CatalogDataset(name="hidden-deleted", title=HIDDEN[4],
                                  owner_org=transport["id"], resources=[LINK], user="publisher"),
    }
    call_action("package_delete", {"user": "publisher"}, id="hidden-deleted")
    users = {"citizen": citizen, "publisher": publisher, "sysadmin": sysadmin}
    tokens = {role: call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="前台测试")["token"]
              for role, user in users.items()}
    yield {"datasets": datasets, "tokens": tokens, "app": _get_test_app(),
           "user_names": [user["name"] for user in users.values()]}
    search.clear_all()
    ckan.plugins.unload_all()


def _get(world, path, role="anonymous", **kwargs):
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    return world["app"].get(path, headers=headers, **kwargs)


@pytest.mark.parametrize("role", ["anonymous", "citizen", "publisher", "sysadmin"])
def test_figures_count_only_what_the_public_may_see(world, role):
    """The same figures for every visitor, the department that sees its hidden datasets and
    the sysadmin included: not_open, private, draft and deleted datasets are never counted."""
    response = _get(world, "/api/3/action/zaozhuang_portal_figures", role)
    assert response.json["result"] == PUBLIC_FIGURES


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_the_home_page_lists_only_what_the_visitor_may_see(world, role):
    body = _get(world, "/", role).get_data(as_text=True)
    for shown in ("滕州市公交线路", "企业信用评价", "枣庄市交通运输局", "交通运输", "滕州市",
                  "0632-5118916", "枣庄市公共数据开放平台", "2 个数据集"):
        assert shown in body, shown
    for hidden in HIDDEN + ("hidden-not-open", "hidden-private", "hidden-draft",
                            "hidden-deleted"):
        assert hidden not in body, hidden


def test_no_ckan_branding_and_no_third_party_requests(world):
    """Home, a dataset and a user page: no CKAN brand, nothing loaded from other sites,
    sharing by copying the link, avatars drawn from the user's initial."""
    pages = [_get(world, "/").get_data(as_text=True),
             _get(world, "/dataset/bus-routes").get_data(as_text=True),
             _get(world, "/user/wang-min", "citizen").get_data(as_text=True)]
    for body in pages:
        for banned in ("gravatar", "twitter", "facebook", "x.com", "Powered by",
                       "CKAN Association", "od_80x15", "placeholder-420x220", "ckan-logo",
                       "欢迎來到CKAN", 'name="generator"'):
            assert banned not in body, banned
    assert 'data-module="zz-copy-link"' in pages[1]
    assert 'zz-avatar' in pages[2] and ">王<" in pages[2]


@pytest.mark.parametrize("role", ["anonymous", "citizen", "publisher"])
def test_the_sidebar_is_rendered_once_per_page(world, role):
    """CKAN's page.html renders the sidebar a second time only to see whether it is empty:
    the portal renders it once. The dataset page counts its department's followers once,
    shows one sidebar with the department; the search page one set of facets; a page
    without a sidebar still gets the full width (`no-nav`)."""
    with sql_statements() as statements:
        response = _get(world, "/dataset/bus-routes", role)
    assert response.status_code == 200
    assert len([s for s, _ in statements
                if s.startswith("SELECT count(*)") and "user_following_group" in s]) == 1
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "no-nav" not in page.select_one("div.row.wrapper")["class"]
    [sidebar] = page.select("aside.secondary")
    assert "枣庄市交通运输局" in sidebar.select_one("#organization-info").get_text()

    page = BeautifulSoup(_get(world, "/dataset/", role).get_data(as_text=True), "html.parser")
    [sidebar] = page.select("aside.secondary")
    titles = [h.get_text(" ", strip=True) for h in sidebar.select("h2.module-heading")]
    assert titles and len(titles) == len(set(titles)) == len(page.select("h2.module-heading"))
    assert "no-nav" not in page.select_one("div.row.wrapper")["class"]

    page = BeautifulSoup(_get(world, "/about", role).get_data(as_text=True), "html.parser")
    assert not page.select("aside.secondary")
    assert "no-nav" in page.select_one("div.row.wrapper")["class"]


@pytest.mark.parametrize("path,shared", [
    ("/dataset/bus-routes", "/dataset/bus-routes"),
    # The dataset's address, not the page's with its query string.
    ("/dataset/bus-routes?activity_type=changed", "/dataset/bus-routes"),
    ("/dataset/bus-routes/resource/{resource}", "/dataset/bus-routes/resource/{resource}"),
    ("/en/dataset/bus-routes", "/en/dataset/bus-routes")])
def test_sharing_by_link_and_qr_code_drawn_by_the_portal(world, path, shared):
    """The address in a labelled read-only field to copy without scripts, the copy button, and
    the QR code of that same address as inline SVG: no image fetched from anywhere."""
    resource = world["datasets"]["open"]["resources"][0]["id"]
    page = BeautifulSoup(_get(world, path.format(resource=resource)).get_data(as_text=True),
                         "html.parser")
    box = page.select_one("section.zz-share")
    field = box.select_one("input#zz-share-url")
    assert field.has_attr("readonly")
    assert box.select_one("label[for=zz-share-url]").get_text(strip=True)
    url = field["value"]
    assert url == tk.config["ckan.site_url"] + shared.format(resource=resource)
    assert box.select_one("button[data-module=zz-copy-link]")["data-module-target"] == \
        "#zz-share-url"
    svg = box.select_one("svg.zz-qr")
    expected = BeautifulSoup(segno.make(url, error="m").svg_inline(scale=4, border=2),
                             "html.parser").select_one("svg path")["d"]
    assert svg.select_one("path")["d"] == expected
    assert svg.select_one("title").get_text() == (
        "QR code of this page" if path.startswith("/en/") else "本页二维码")
    assert not box.select("img, iframe, script")


def test_every_domain_has_its_icon_named_in_the_visitor_language(world):
    """One local SVG per term of the domain vocabulary, on the home page's tiles, the search's
    facet and the vocabulary's page; the alt text is the domain's label."""
    for code in vocabularies.codes("domain"):
        icon = _get(world, f"/zaozhuang/domains/{code}.svg")
        assert icon.status_code == 200, code
        assert icon.headers["Content-Type"].startswith("image/svg+xml")
        assert "<path" in icon.get_data(as_text=True) or "<rect" in icon.get_data(as_text=True)

    def icons(path):
        page = BeautifulSoup(_get(world, path).get_data(as_text=True), "html.parser")
        return {img["src"].rsplit("/", 1)[1]: img["alt"]
                for img in page.select("img.zz-domain-icon")}

    home = icons("/")
    assert home == {f"{code}.svg": vocabularies.label("domain", code, "zh_Hans_CN")
                    for code in vocabularies.codes("domain")}
    assert home["transport.svg"] == "交通运输"
    assert icons("/en/")["transport.svg"] == "Transport"
    # The facet lists the domains the results are filed under.
    assert icons("/dataset/") == {"transport.svg": "交通运输"}
    assert len(icons("/vocabulary/domain")) == len(vocabularies.codes("domain"))


@pytest.mark.parametrize("path,heading", [
    ("/about", "关于平台"), ("/policy", "《枣庄市公共数据管理办法》"), ("/terms", "使用条款"),
    ("/privacy", "隐私声明")])
def test_information_pages_in_chinese_linked_from_every_footer(world, path, heading):
    body = _get(world, path).get_data(as_text=True)
    assert heading in body
    for link in ('href="/about"', 'href="/policy"', 'href="/terms"', 'href="/privacy"'):
        assert link in body
    assert "CKAN" not in body


def test_information_pages_in_english_under_en(world):
    assert "About the portal" in _get(world, "/en/about").get_data(as_text=True)
    assert "Terms of use" in _get(world, "/en/terms").get_data(as_text=True)


def test_every_dataset_carries_the_licence_of_its_opening_category(world):
    shown = {name: call_action("package_show", {"user": "", "ignore_auth": False}, id=name)
             for name in ("bus-routes", "enterprise-credit")}
    assert shown["bus-routes"]["license_id"] == "cc-by-4.0"
    assert "CC BY 4.0" in shown["bus-routes"]["license_title"]
    assert shown["bus-routes"]["license_url"].startswith("https://creativecommons.org/")
    assert shown["enterprise-credit"]["license_id"] == "zaozhuang-agreement"
    assert shown["enterprise-credit"]["license_title"] == "数据利用协议"
    assert shown["enterprise-credit"]["license_url"].endswith("/dataset/enterprise-credit/apply")
    found = call_action("package_search", {"user": "", "ignore_auth": False},
                        q="name:enterprise-credit")["results"][0]
    assert found["license_url"] == shown["enterprise-credit"]["license_url"]
    assert "数据利用协议" in _get(world, "/dataset/enterprise-credit").get_data(as_text=True)
    # DCAT names it by the EU licence table's term.
    assert "/resource/authority/licence/CC_BY_4_0>" in _get(
        world, "/dataset/bus-routes.ttl").get_data(as_text=True)


def test_publishers_may_name_another_open_licence_but_not_for_conditional_data(world):
    as_publisher = {"user": "publisher", "ignore_auth": False}
    own = call_action("package_patch", as_publisher, id="bus-routes",
                      license_id="zaozhuang-open")
    assert own["license_id"] == "zaozhuang-open"
    assert own["license_url"].endswith("/terms#open-licence")
    # A closed licence for open data falls back to the authority's default.
    assert call_action("package_patch", as_publisher, id="bus-routes",
                       license_id="zaozhuang-agreement")["license_id"] == "cc-by-4.0"
    assert call_action("package_patch", as_publisher, id="enterprise-credit",
                       license_id="cc-by-4.0")["license_id"] == "zaozhuang-agreement"


# Words a Chinese page may show: the language switch's own name, the portal's English name
# beside its Chinese one, Markdown and GeoJSON; acronyms (CSV, API, CC BY) too, but not CKAN.
ALLOWED_WORDS = {"English", "Zaozhuang", "Public", "Data", "Portal", "Markdown", "GeoJSON"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Codes and addresses are not words: slugs, URLs and paths (the /dataset/ before a name
# field), addresses without their scheme (the site's before a new name), e-mail addresses,
# HTML tag names, codes with digits (统一社会信用代码 11370400MB…).
NOT_WORDS = re.compile(r"(?:https?://|mailto:)\S+|(?<!\S)/\S*|\S+@\S+|<\w+>"
                       r"|\b[\w-]+(?:\.[\w-]+)+(?::\d+)?/\S*"
                       r"|\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b|\b[A-Za-z0-9]*\d[A-Za-z0-9]*\b")
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-bs-title")
CITIZEN_PAGES = ("/", "/dataset/", "/dataset/bus-routes", "/dataset/enterprise-credit",
                 "/organization/", "/organization/zz-jtysj", "/group/", "/about", "/policy",
                 "/terms", "/privacy")
VISITOR_PAGES = ("/user/login", "/user/register", "/user/reset")
ACCOUNT_PAGES = ("/dashboard/", "/dashboard/datasets", "/dashboard/organizations",
                 "/user/wang-min", "/user/edit/wang-min", "/user/wang-min/api-tokens",
                 "/applications", "/dataset/enterprise-credit/apply",
                 "/dataset/activity/bus-routes",
                 "/organization/activity/zz-jtysj", "/dataset/bus-routes/resource/{resource}")
SYSADMIN_PAGES = ("/ckan-admin/", "/ckan-admin/config", "/ckan-admin/trash",
                  "/ckan-admin/activities", "/user/", "/organization/new", "/group/new")
# A department's publisher: describing datasets and files, the department, reviewing.
PUBLISHER_PAGES = ("/dataset/new", "/dataset/edit/bus-routes", "/dataset/resources/bus-routes",
                   "/dataset/bus-routes/resource/new",
                   "/dataset/bus-routes/resource/{resource}/edit",
                   # with the load status of its file, and its DataStore tab
                   "/dataset/bus-routes/resource/{resource}",
                   "/dataset/bus-routes/resource_data/{resource}",
                   "/organization/edit/zz-jtysj", "/organization/members/zz-jtysj",
                   "/organization/bulk_process/zz-jtysj", "/applications/review",
                   "/dashboard/overdue", "/user/publisher/api-tokens")


def english_words(html, names=()):
    """English words a visitor reads or hears: text, tooltips, labels, placeholders. Login
    `names` are identifiers, not words."""
    soup = BeautifulSoup(html, "html.parser")
    # Program text and codes (the access log's records, the API's examples) are no words.
    for hidden in soup(["script", "style", "noscript", "code", "pre"]):
        hidden.decompose()
    shown = [str(text) for text in soup.find_all(string=True)
             if not isinstance(text, (Comment, Doctype))]
    shown += [value for element in soup.find_all(True) for name in SHOWN_ATTRIBUTES
              if isinstance(value := element.get(name), str)]
    # The labels of input buttons.
    shown += [button.get("value", "") for button in soup.find_all("input")
              if button.get("type") in ("submit", "button", "reset")]
    words = {word for text in shown for word in ENGLISH_WORD.findall(NOT_WORDS.sub(" ", text))}
    return {word for word in words - ALLOWED_WORDS - set(names)
            if not word.isupper() or word == "CKAN"}


@pytest.mark.parametrize("role, page", [(role, page) for role in ("anonymous", "citizen")
                                         for page in CITIZEN_PAGES]
                         + [("anonymous", page) for page in VISITOR_PAGES]
                         + [("citizen", page) for page in ACCOUNT_PAGES]
                         + [("publisher", page) for page in PUBLISHER_PAGES]
                         + [("sysadmin", page) for page in SYSADMIN_PAGES])
def test_citizen_pages_are_chinese(world, role, page):
    """CKAN core strings included: those CKAN's own catalog leaves in English are translated
    in i18n/fragments/core.po."""
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    page = page.format(resource=world["datasets"]["open"]["resources"][0]["id"])
    response = world["app"].get(page, headers=headers)
    assert response.status_code == 200
    words = english_words(response.get_data(as_text=True), world["user_names"])
    assert not words, " ".join(sorted(words))


def test_the_members_tab_only_for_those_who_may_see_the_members(world):
    # Who works in a department is for staff (member_list); others would get 403.
    members = 'href="/organization/members/zz-jtysj"'
    assert members not in _get(world, "/organization/zz-jtysj").get_data(as_text=True)
    assert members not in _get(world, "/organization/zz-jtysj", "citizen").get_data(as_text=True)
    assert members in _get(world, "/organization/zz-jtysj", "publisher").get_data(as_text=True)
