"""The citizen's pages in headless Chromium against a really served portal with the demo
catalog: every image shows, every link of the portal answers, nothing is fetched from
another site, no script fails, and the text is Chinese (English under /en/).

With ZAOZHUANG_SCREENSHOTS=<folder> the pages are also saved as screenshots there
(docs/screenshots/ holds those the README shows)."""
import os
import threading
import urllib.parse

import pytest
import requests
import yaml
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

import ckan.plugins
from ckan.lib import search
from ckan.tests.helpers import _get_test_app

from ckanext.zaozhuang import demo
from tests.applications.mailbox import free_port
from tests.applications.test_browser import browser  # noqa: F401 (fixture)
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
    url = portal + urllib.parse.quote(path, safe="/?=")
    browser.get(url)
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
        assert english_words(html, catalog_words) == set()
    for link in _links(html, browser.current_url, portal) - set(checked_links):
        checked_links[link] = requests.get(link, timeout=60, allow_redirects=True).status_code
    failing = {link: status for link, status in checked_links.items() if status >= 400
               and link in _links(html, browser.current_url, portal)}
    assert failing == {}
    folder = os.environ.get("ZAOZHUANG_SCREENSHOTS")
    if folder:
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(max(height, 800), 2400))
        browser.save_screenshot(os.path.join(folder, f"{PAGES[path]}.png"))
        browser.set_window_size(1280, 2000)
