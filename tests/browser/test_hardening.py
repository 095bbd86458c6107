"""The pages under their Content-Security-Policy in a real browser: Swagger UI at /docs starts
without inline script, the employee page's service worker still caches the shell, and text from
the API (names with HTML in them) is shown as text on both pages, never run or parsed."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.api import post_checkin
from tests.support.browser import screenshot
from tests.support.images import jpeg_bytes
from tests.support.places import INSIDE_CITY_HALL, SQUARE_CITY_HALL

PASSWORD = "Browser-Hardening-Pass-58"
FIRST_NAME = "<img src=x onerror=\"window.__xss='img'\">"
LAST_NAME = "<script>window.__xss='script'</script>"
SITE_NAME = "<svg onload=\"window.__xss='svg'\"></svg>=cmd|' /C calc'!A0"

# Runs before any page script on every document: records CSP violations and would record a
# payload that ran (the payloads set window.__xss).
RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


@pytest.fixture
def guarded(browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    return browser


def assert_clean(driver):
    assert driver.execute_script("return window.__csp") == []
    assert driver.execute_script("return window.__xss === undefined")
    assert not driver.find_elements(By.CSS_SELECTOR, "img[src='x'], svg[onload], #queue script, #result script")


def log_in(driver, username):
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username"))).send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form#login button[type=submit]").click()


@pytest.fixture
def people(client, make):
    """A site and two people whose names are HTML, a supervisor and an employee."""
    admin = make.user("admin")["headers"]
    feature = {"type": "Feature", "geometry": SQUARE_CITY_HALL, "properties": {"code": "XSS", "name": SITE_NAME}}
    site = client.post("/api/v1/sites", json=feature, headers=admin).get_json()["id"]
    unit = make.unit(site_ids=(site,))
    supervisor = make.user("supervisor", make.employee(unit), password=PASSWORD)
    employee_id = make.employee(unit)
    response = client.patch(f"/api/v1/employees/{employee_id}", json={"first_name_th": FIRST_NAME,
                                                                      "last_name_th": LAST_NAME}, headers=admin)
    assert response.status_code == 200
    employee = make.user("employee", employee_id, password=PASSWORD)
    return {"supervisor": supervisor, "employee": employee}


def test_swagger_ui_starts_and_calls_the_api_without_inline_script(guarded, live_server):
    driver = guarded
    driver.get(f"{live_server}/docs")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 20)
    driver.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()  # POST /api/v1/auth/token
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".try-out__btn"))).click()
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".execute"))).click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".live-responses-table"), "401"))
    screenshot(driver, "docs-under-csp")
    assert driver.execute_script("return window.__csp") == []


def test_employee_page_shows_the_site_name_as_text_and_caches_its_shell(guarded, live_server, people, tmp_path):
    driver = guarded
    latitude, longitude = INSIDE_CITY_HALL
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": live_server, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride",
                           {"latitude": latitude, "longitude": longitude, "accuracy": 12})
    driver.get(f"{live_server}/app")
    log_in(driver, people["employee"]["username"])
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "location"), "±12"))
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(jpeg_bytes(640, 480))
    driver.find_element(By.ID, "selfie").send_keys(str(photo))
    wait(driver).until(lambda d: d.find_element(By.ID, "preview").get_attribute("src").startswith("blob:"))
    assert driver.execute_script("return document.getElementById('preview').naturalWidth") == 640  # img-src blob:
    driver.find_element(By.ID, "clock-in").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "accepted"))
    assert SITE_NAME in driver.find_element(By.ID, "result").text
    screenshot(driver, "app-html-site-name")
    assert_clean(driver)

    # The service worker (its own policy allows fetching from this origin) cached the page's shell.
    cached = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.ready
          .then(() => caches.open("etk-app-v1"))
          .then((cache) => cache.keys())
          .then((keys) => done(keys.map((request) => new URL(request.url).pathname)))
          .catch((error) => done(String(error)));""")
    assert {"/app", "/web/app.js", "/web/api.js", "/web/fonts/Sarabun-Regular.ttf"} <= set(cached)


def test_review_page_shows_names_as_text(guarded, live_server, client, people):
    driver = guarded
    checkin = post_checkin(client, people["employee"], mock_location="true").get_json()
    assert checkin["status"] == "flagged"
    driver.get(f"{live_server}/review")
    log_in(driver, people["supervisor"]["username"])
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue li")) == 1)
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "detail-title"), FIRST_NAME))
    wait(driver).until(lambda d: d.find_element(By.ID, "selfie").get_attribute("src").startswith("blob:"))
    wait(driver).until(lambda d: d.execute_script("return document.getElementById('selfie').naturalWidth") > 0)
    queue = driver.find_element(By.ID, "queue").text
    assert FIRST_NAME in queue and LAST_NAME in queue and SITE_NAME in queue
    assert LAST_NAME in driver.find_element(By.ID, "detail-title").text
    assert SITE_NAME in driver.find_element(By.ID, "detail-meta").text
    screenshot(driver, "review-html-names")
    assert_clean(driver)
