"""Public participation in headless Chromium against a really served portal: a citizen asks
for data from the home page, the authority routes the request, the department answers, and the
answer reaches the citizen by mail and on the page; an error report from the dataset page is
answered by the department the same way."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.applications.mailbox import run_jobs
from tests.applications.test_browser import _click, _login, browser, portal  # noqa: F401

BASIS = "《中华人民共和国个人信息保护法》第十三条"


def _text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def _submit(driver, form):
    """Send the form and wait for the page that answers it."""
    page = driver.find_element(By.TAG_NAME, "html")
    _click(driver, By.CSS_SELECTOR, f"form.{form} button[type=submit]")
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(page))


def test_a_data_request_from_the_home_page_to_the_answer_in_the_mail(world, portal, browser,
                                                                     mailbox):
    _login(browser, portal, world.name("requester"))
    browser.get(portal + "/")
    _click(browser, By.LINK_TEXT, "数据需求")
    _click(browser, By.PARTIAL_LINK_TEXT, "提出")
    browser.find_element(By.ID, "field-title").send_keys("停车场实时泊位数据")
    browser.find_element(By.ID, "field-description").send_keys("用于开发停车导航小程序")
    Select(browser.find_element(By.ID, "field-organization_id")).select_by_visible_text(
        world.department["title"])
    _submit(browser, "zz-request-form")
    assert "停车场实时泊位数据" in browser.find_element(By.TAG_NAME, "h1").text
    request_url = browser.current_url

    _login(browser, portal, world.name("authority"))
    browser.get(request_url)
    Select(browser.find_element(By.ID, "field-route")).select_by_visible_text(
        world.department["title"])
    _submit(browser, "zz-route-form")
    assert world.department["title"] in _text(browser)

    _login(browser, portal, world.name("dept_editor"))
    browser.get(portal + "/participation/queue")
    _click(browser, By.LINK_TEXT, "停车场实时泊位数据")
    _click(browser, By.CSS_SELECTOR, "form.zz-answer-form input[value=cannot]")
    browser.find_element(By.ID, "field-legal_basis").send_keys(BASIS)
    _submit(browser, "zz-answer-form")
    assert BASIS in _text(browser)

    run_jobs()
    [mail] = [m for m in mailbox.to(world.users["requester"]["email"])
              if "停车场实时泊位数据" in m["Subject"]]
    assert BASIS in mailbox.body(mail) and request_url in mailbox.body(mail)
    _login(browser, portal, world.name("requester"))
    browser.get(request_url)
    assert BASIS in _text(browser)


def test_an_error_report_from_the_dataset_page_to_the_answer(world, portal, browser, mailbox):
    _login(browser, portal, world.name("requester"))
    browser.get(f"{portal}/dataset/{world.dataset['name']}")
    _click(browser, By.PARTIAL_LINK_TEXT, "纠错")
    Select(browser.find_element(By.ID, "field-kind")).select_by_value("outdated")
    browser.find_element(By.ID, "field-description").send_keys("线路表仍是去年的数据")
    _submit(browser, "zz-correction-form")
    report_url = browser.current_url
    assert "线路表仍是去年的数据" in _text(browser)

    _login(browser, portal, world.name("dept_editor"))
    browser.get(report_url)
    _click(browser, By.CSS_SELECTOR, "form.zz-answer-form input[value=fixed]")
    browser.find_element(By.ID, "field-answer_text").send_keys("已更新为本月数据")
    _submit(browser, "zz-answer-form")
    assert "已更新为本月数据" in _text(browser)

    # The public sees the report, its status and the answer from the dataset page.
    browser.delete_all_cookies()
    browser.get(f"{portal}/dataset/{world.dataset['name']}")
    _click(browser, By.CSS_SELECTOR, f"table.zz-corrections a[href$='{report_url.rsplit('/', 1)[1]}']")
    assert "线路表仍是去年的数据" in _text(browser) and "已更新为本月数据" in _text(browser)
    run_jobs()
    assert any("已更新为本月数据" in mailbox.body(m)
               for m in mailbox.to(world.users["requester"]["email"]))


def test_a_showcase_and_a_rating_from_the_dataset_page(world, portal, browser, mailbox):
    dataset_url = f"{portal}/dataset/{world.dataset['name']}"
    _login(browser, portal, world.name("citizen"))
    browser.get(dataset_url)
    _click(browser, By.CSS_SELECTOR, "form.zz-rating-form input[name=stars][value='4']")
    _submit(browser, "zz-rating-form")
    _click(browser, By.CSS_SELECTOR, "section.zz-dataset-showcases a[href*='/showcases/new']")
    browser.find_element(By.ID, "field-title").send_keys("枣庄公交出行助手")
    Select(browser.find_element(By.ID, "field-kind")).select_by_value("app")
    browser.find_element(By.ID, "field-description").send_keys("实时查询公交线路和站点")
    browser.find_element(By.ID, "field-link").send_keys("https://example.com/bus-helper")
    _submit(browser, "zz-showcase-form")
    showcase_url = browser.current_url
    assert "枣庄公交出行助手" in browser.find_element(By.TAG_NAME, "h1").text, _text(browser)

    _login(browser, portal, world.name("authority"))
    browser.get(showcase_url)
    page = browser.find_element(By.TAG_NAME, "html")
    _click(browser, By.CSS_SELECTOR, "form.zz-showcase-review button[value=approve]")
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))
    run_jobs()
    assert any("枣庄公交出行助手" in m["Subject"] or "枣庄公交出行助手" in mailbox.body(m)
               for m in mailbox.to(world.users["citizen"]["email"]))

    browser.delete_all_cookies()
    browser.get(portal + "/")
    _click(browser, By.LINK_TEXT, "应用成果")
    _click(browser, By.LINK_TEXT, "枣庄公交出行助手")
    assert world.dataset["title"] in _text(browser)
    browser.get(dataset_url)
    text = _text(browser)
    assert "枣庄公交出行助手" in text and "4" in browser.find_element(
        By.CSS_SELECTOR, "section.zz-ratings").text
