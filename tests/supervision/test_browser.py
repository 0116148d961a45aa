"""The supervision dashboard in headless Chromium: the authority's view of every department
with the chart drawn, and a department admin's view of their own department."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.applications.test_browser import _login, browser, portal  # noqa: F401 (fixtures)
from tests.applications.world import world  # noqa: F401 (fixture)
from tests.supervision.test_figures import supervised  # noqa: F401 (fixture)


def _dashboard(driver, portal):  # noqa: F811
    driver.get(f"{portal}/supervision")
    # ECharts draws the charts (the rates, the months) as SVG once the page's modules have
    # started.
    WebDriverWait(driver, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".zz-supervision-chart svg")) >= 2,
        "not both charts")
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    catalog = driver.find_elements(By.CSS_SELECTOR, "table.zz-supervision")[0]
    return [row.text for row in catalog.find_elements(By.CSS_SELECTOR, "tbody th")]


def test_the_authority_and_a_department_admin(supervised, portal, browser):  # noqa: F811
    _login(browser, portal, supervised.name("authority"))
    departments = _dashboard(browser, portal)
    assert supervised.provider["title"] in departments and "全市合计" in departments
    chart = browser.find_element(By.CSS_SELECTOR, ".zz-supervision-chart").text
    assert supervised.provider["title"] in chart and "挂接率" in chart

    _login(browser, portal, supervised.name("provider_admin"))
    assert _dashboard(browser, portal) == [supervised.provider["title"]]
