"""The main path in headless Chromium against a really served portal: an enterprise user
applies, a provider reviewer approves, the user signs and downloads the file."""
import io
import os
import shutil
import tempfile
import threading
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server

from ckan import model
from ckan.tests.helpers import call_action

from tests.applications.mailbox import free_port
from tests.applications.world import PASSWORD

CSV = "企业名称,信用等级\n枣庄示例科技有限公司,A\n"


@pytest.fixture
def portal(world, ckan_config, monkeypatch, make_app):
    port = free_port()
    monkeypatch.setitem(ckan_config, "ckan.site_url", f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, make_app().app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def browser():
    profile = tempfile.mkdtemp(prefix="zz-chromium-")
    downloads = tempfile.mkdtemp(prefix="zz-downloads-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", f"--user-data-dir={profile}",
                "--lang=zh-CN", "--window-size=1280,2000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": downloads})
    driver.implicitly_wait(20)
    driver.downloads = downloads
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(downloads, ignore_errors=True)


def _login(driver, portal, name):
    driver.delete_all_cookies()
    driver.get(f"{portal}/user/login")
    driver.find_element(By.ID, "field-login").send_keys(name)
    driver.find_element(By.ID, "field-password").send_keys(PASSWORD)
    _click(driver, By.CSS_SELECTOR, "form button[type=submit].btn-primary")
    # The click returns before the form is answered: wait for the page of a logged-in user,
    # or the next page would be asked for with the cookie of the one before.
    WebDriverWait(driver, 20).until(
        lambda d: "/user/login" not in d.current_url
        and d.find_elements(By.CSS_SELECTOR, ".account.authed"), "not logged in")


def _click(driver, by, value):
    element = driver.find_element(by, value)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def _eventually(read, expected, timeout=30):
    """What `read` returns once it equals `expected`, or its last value after `timeout`: a
    click returns before the server has answered the form it posts."""
    deadline = time.monotonic() + timeout
    while True:
        model.Session.remove()  # read what the server committed, not this thread's cache
        value = read()
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def _fill(driver, field, value):
    element = driver.find_element(By.ID, f"field-{field}")
    driver.execute_script("arguments[0].value = arguments[1];", element, value)


def test_apply_approve_sign_download(world, portal, browser):
    resource = call_action(
        "resource_create", {"user": world.name("provider_admin")},
        package_id=world.dataset["id"], name="信用评价结果下载", format="CSV", url="",
        upload=FileStorage(io.BytesIO(CSV.encode("utf-8")), filename="credit.csv"))
    applicant = world.name("applicant")

    # The enterprise applies.
    _login(browser, portal, applicant)
    browser.get(f"{portal}/dataset/{world.dataset['name']}")
    _click(browser, By.CSS_SELECTOR, ".zz-apply-button")
    assert browser.current_url.endswith(f"/dataset/{world.dataset['name']}/apply")
    data = world.application_data()
    for field in ("entity_name", "credit_code", "contact_name", "contact_phone",
                  "contact_email", "purpose", "scenario", "security_measures",
                  "expected_results", "period_start", "period_end"):
        _fill(browser, field, data[field])
    _click(browser, By.ID, "field-pledge_accepted")
    _click(browser, By.ID, "zz-submit-application")
    assert _eventually(
        lambda: [a["state"] for a in world.act("applicant", "application_list")["results"]],
        ["submitted"]) == ["submitted"]
    application = world.act("applicant", "application_list")["results"][0]

    # A reviewer of the providing department approves it from the queue.
    _login(browser, portal, world.name("provider_editor"))
    browser.get(f"{portal}/applications/review?filter=pending")
    _click(browser, By.CSS_SELECTOR, f"tr[data-id='{application['id']}'] a.btn")
    browser.find_element(By.ID, "field-reason").send_keys("材料齐全,同意开放")
    _click(browser, By.ID, "zz-approve")
    assert _eventually(lambda: world.act("applicant", "application_show",
                                         id=application["id"])["state"], "approved") == "approved"

    # The enterprise reads and signs the agreement.
    _login(browser, portal, applicant)
    browser.get(f"{portal}/applications")
    _click(browser, By.CSS_SELECTOR, f"tr[data-id='{application['id']}'] a")
    _click(browser, By.ID, "zz-agreement")
    assert "枣庄示例科技有限公司" in browser.find_element(By.CSS_SELECTOR,
                                                         ".zz-agreement-text").text
    _click(browser, By.ID, "field-accept")
    _click(browser, By.ID, "zz-sign")
    assert _eventually(lambda: world.act("applicant", "application_show",
                                         id=application["id"])["state"], "active") == "active"
    assert browser.find_elements(By.CSS_SELECTOR, ".zz-grant[data-status='active']")
    agreement = world.act("applicant", "agreement_show", application_id=application["id"])
    assert agreement["signed_by_name"] == applicant
    assert agreement["client_address"] == "127.0.0.1"

    # And downloads the file.
    browser.get(f"{portal}/dataset/{world.dataset['id']}/resource/{resource['id']}"
                f"/download/credit.csv")
    target = os.path.join(browser.downloads, "credit.csv")
    deadline = time.monotonic() + 20
    while not os.path.exists(target) and time.monotonic() < deadline:
        time.sleep(0.2)
    with open(target, encoding="utf-8") as f:
        assert f.read() == CSV
