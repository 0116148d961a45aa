"""The portal's pages in headless Chromium against a really served portal with the demo
catalog, as a citizen and logged in as each role (applicant, publisher, reviewer, the
authority, sysadmin): every image shows, every link of the portal answers for that visitor,
nothing is fetched from another site, no script fails, and the text is Chinese (English under
/en/).

With ZAOZHUANG_SCREENSHOTS=<folder> the pages are also saved as screenshots there
(docs/screenshots/ holds those the README shows)."""
import os
import threading
import urllib.parse

import pytest
import requests
import yaml
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

import ckan.plugins
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import _get_test_app, call_action

from ckanext.zaozhuang import demo
from tests.applications.mailbox import free_port
from tests.applications.test_browser import _login, browser  # noqa: F401 (fixture)
from tests.applications.world import PASSWORD, World
from tests.conftest import fresh_site
from tests.front.test_home import ENGLISH_WORD, english_words

# Each page and the name of its screenshot.
PAGES = {
    "/": "home", "/dataset/": "datasets", "/dataset/?q=滕州公交": "search",
    "/dataset/zz-bus-routes": "dataset", "/dataset/zz-enterprise-credit": "conditional",
    "/organization/": "departments", "/organization/zz-jtysj": "department",
    "/about": "about", "/policy": "policy", "/terms": "terms", "/privacy": "privacy",
    "/user/login": "login", "/en/": "home-en", "/en/dataset/zz-bus-routes": "dataset-en",
}
# The pages each role works on, and the screenshot names of those the README shows. The
# applicant's application is approved and awaits signing, the holder's signed (a grant), the
# waiting applicant's submitted (in the reviewers' queue).
ROLE_PAGES = {
    "newcomer": {"/dataset/zz-enterprise-credit/apply": "application-form"},
    "applicant": {"/applications": None, "/applications/{approved}": None,
                  "/applications/{approved}/agreement": "agreement",
                  "/dashboard/": None, "/user/edit/{user}": None},
    "holder": {"/grants": None, "/applications/{active}": None,
               "/applications/{active}/agreement": None, "/grants/{grant}/reports": None},
    "publisher": {"/dataset/edit/zz-enterprise-credit": None,
                  "/dataset/zz-enterprise-credit/resource/new": None,
                  "/dataset/zz-enterprise-credit/resource/{resource}/edit": None,
                  "/dataset/new": None, "/organization/edit/zz-scjgj": None,
                  "/organization/members/zz-scjgj": None},
    "reviewer": {"/applications/review": "review-queue",
                 "/applications/{submitted}/decide": None, "/dashboard/overdue": None},
    "authority": {"/supervision": None, "/supervision/incidents": None,
                  "/supervision/incidents/new": None, "/supervision/reports": None,
                  "/supervision/audit": None, "/supervision/duplicates": None},
    "sysadmin": {"/dataset/zz-property-registration": "not-open",
                 "/ckan-admin/": None, "/ckan-admin/config": None,
                 "/ckan-admin/trash": None, "/user/": None, "/organization/new": None},
}


@pytest.fixture(scope="module")
def portal(reset_db, migrate_db_for, reset_index):
    fresh_site(reset_db, migrate_db_for, reset_index)
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    app = _get_test_app()
    with app.flask_app.test_request_context():
        demo.load()
    server = make_server("127.0.0.1", port, app.flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site_url
    server.shutdown()
    thread.join(10)
    search.clear_all()
    ckan.plugins.unload_all()


@pytest.fixture(scope="module")
def people(portal):
    """A person for each role around the demo's conditionally open dataset of 市市场监督管理局,
    and applications in the states the pages show (in a request, so the agreements are
    written in the portal's language as a reviewer's approval writes them)."""
    with _get_test_app().flask_app.test_request_context():
        return _people()


def _people():
    names = {"newcomer": "孙悦", "applicant": "王敏", "holder": "刘洋", "waiting": "陈静",
             "publisher": "李强", "reviewer": "赵磊", "authority": "周平"}
    users = {role: factories.User(fullname=fullname, about="", password=PASSWORD)
             for role, fullname in names.items()}
    users["sysadmin"] = factories.Sysadmin(fullname="平台管理员", about="", password=PASSWORD)
    site = {"user": call_action("get_site_user")["name"]}
    for role, department, capacity in (("publisher", "zz-scjgj", "admin"),
                                       ("reviewer", "zz-scjgj", "editor"),
                                       ("authority", "zz-dsjj", "member")):
        call_action("organization_member_create", site, id=department,
                    username=users[role]["name"], role=capacity)
    # World's steps name the department's admin and editor as they are named here.
    users["provider_admin"], users["provider_editor"] = users["publisher"], users["reviewer"]
    dataset = call_action("package_show", site, id="zz-enterprise-credit")
    world = World(users, call_action("organization_show", site, id="zz-scjgj"),
                  call_action("organization_show", site, id="zz-jtysj"), dataset,
                  call_action("package_show", site, id="zz-food-licences"))
    approved = world.in_state("approved")
    active = world.act("holder", "application_create", **world.application_data())
    world.act("holder", "application_submit", id=active["id"])
    world.act("publisher", "application_approve", id=active["id"], reason="材料齐全")
    world.sign(active["id"], role="holder")
    submitted = world.act("waiting", "application_create", **world.application_data())
    world.act("waiting", "application_submit", id=submitted["id"])
    grant = world.act("holder", "grant_list", scope="mine")[0]
    return {"users": users, "approved": approved["id"], "active": active["id"],
            "submitted": submitted["id"], "grant": grant["id"],
            "resource": dataset["resources"][0]["id"]}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.fixture(scope="module")
def catalog_words():
    """Words of the demo catalog's own metadata: publishers may describe data in English too;
    the language check is about the portal's words."""
    with open(os.path.join(os.path.dirname(demo.__file__), "catalog.yaml"), encoding="utf-8") as f:
        catalog = yaml.safe_load(f)
    return {word for text in _strings(catalog) for word in ENGLISH_WORD.findall(text)}


@pytest.fixture(autouse=True)
def served_at(portal, ckan_config, monkeypatch):
    # The pages' absolute links (their scripts' site root among them) name the served port.
    monkeypatch.setitem(ckan_config, "ckan.site_url", portal)


@pytest.fixture(scope="module")
def checked_links():
    return {}


def _links(html, page_url, site_url):
    """The portal's own links on the page, without fragments; not the language switch's
    form posts or log-out."""
    found = set()
    for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        url = urllib.parse.urljoin(page_url, anchor["href"]).split("#")[0]
        if url.startswith(site_url) and "/user/_logout" not in url:
            found.add(url)
    return found


@pytest.mark.parametrize("path", PAGES)
def test_page_in_a_browser(portal, browser, checked_links, catalog_words, path):  # noqa: F811
    _check_page(portal, browser, checked_links, catalog_words, path, PAGES[path])


@pytest.mark.parametrize("role, path", [(role, path) for role, pages in ROLE_PAGES.items()
                                        for path in pages])
def test_role_page_in_a_browser(portal, people, browser, checked_links, catalog_words,  # noqa: F811
                                role, path):
    user = people["users"][role]["name"]
    _login(browser, portal, user)
    names = {u["name"] for u in people["users"].values()}
    _check_page(portal, browser, checked_links, catalog_words | names,
                path.format(user=user, **people), ROLE_PAGES[role][path], role)


def _check_page(portal, browser, checked_links, words, path, screenshot, role="anonymous"):
    """The page as the browser shows it to the visitor logged in as `role`; its links are
    followed with that visitor's cookies."""
    url = portal + urllib.parse.quote(path, safe="/?=")
    browser.get(url)
    if role != "anonymous":
        assert "/user/login" not in browser.current_url, "not for this visitor"
    broken = browser.execute_script(
        "return Array.from(document.images)"
        ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert [f for f in fetched if not f.startswith((portal, "data:"))] == []
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE"]
    assert errors == []
    html = browser.page_source
    # A heading for every page (some are only for screen readers).
    assert browser.find_element("tag name", "h1").get_attribute("textContent").strip()
    if path.startswith("/en/"):
        assert browser.find_element("tag name", "html").get_attribute("lang") == "en"
    else:
        assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-Hans-CN"
        found = english_words(html, words)
        assert not found, " ".join(sorted(found))
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    # The page itself answered (an error page would pass the rest), and its links.
    links = _links(html, browser.current_url, portal) | {url}
    for link in links:
        if (role, link) not in checked_links:
            checked_links[role, link] = requests.get(
                link, cookies=cookies, timeout=60, allow_redirects=True).status_code
    failing = {link: checked_links[role, link] for link in links
               if checked_links[role, link] >= 400}
    assert failing == {}
    folder = os.environ.get("ZAOZHUANG_SCREENSHOTS")
    if folder and screenshot:
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(max(height, 800), 2400))
        browser.save_screenshot(os.path.join(folder, f"{screenshot}.png"))
        browser.set_window_size(1280, 2000)


# The main pages on a phone, 375 CSS pixels wide, as the visitor who uses them.
NARROW_PAGES = [("anonymous", "/"), ("anonymous", "/dataset/?q=公交"),
                ("anonymous", "/dataset/zz-bus-routes"),
                ("anonymous", "/dataset/zz-enterprise-credit"),
                ("newcomer", "/dataset/zz-enterprise-credit/apply")]


@pytest.mark.parametrize("role, path", NARROW_PAGES)
def test_usable_375_px_wide(portal, people, browser, role, path):  # noqa: F811
    """Nothing wider than the screen (no sideways scrolling), and the main navigation opens
    from its menu button and leads to the datasets."""
    if role != "anonymous":
        _login(browser, portal, people["users"][role]["name"])
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True})
    browser.get(portal + urllib.parse.quote(path, safe="/?="))
    wide = browser.execute_script("""
        return Array.from(document.querySelectorAll('body *'))
          .filter(e => e.getBoundingClientRect().right > 376 && e.offsetParent !== null)
          .map(e => e.tagName + '.' + e.className).slice(0, 10);""")
    assert browser.execute_script("return document.scrollingElement.scrollWidth") <= 375, wide
    datasets = browser.find_element(By.CSS_SELECTOR, "#main-navigation-toggle a[href$='/dataset/']")
    assert not datasets.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".masthead .navbar-toggler").click()
    WebDriverWait(browser, 10).until(lambda _: datasets.is_displayed())
    box = datasets.rect
    assert 0 <= box["x"] and box["x"] + box["width"] <= 375
    datasets.click()
    WebDriverWait(browser, 20).until(lambda d: urllib.parse.urlsplit(d.current_url).path
                                     == "/dataset/")
