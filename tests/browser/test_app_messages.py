"""Every error in Thai, with what to do (the app issue, item 7): a wrong password, a locked login,
location refused, an unreachable server, a proxy's 502 page."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.support.browser import screenshot
from tests.support.places import INSIDE_CITY_HALL

from .test_pages import choose_photo, log_in, open_app_at, wait


def login_error(driver, expected: str) -> str:
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "login-error"), expected))
    return driver.find_element(By.ID, "login-error").text


def test_a_wrong_password_and_a_locked_login_are_explained_in_thai(browser, live_server, make):
    employee = make.staff()
    browser.get(f"{live_server}/app")
    log_in(browser, employee["username"], "not-the-password")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in login_error(browser, "ไม่ถูกต้อง")
    for _ in range(5):
        log_in(browser, employee["username"], "not-the-password")
    text = login_error(browser, "ลองใหม่ได้ในอีก")
    screenshot(browser, "app-login-locked")
    assert "วินาที" in text and "Too many failed attempts" in text


def test_location_refused_says_how_to_turn_it_on(browser, live_server, make):
    employee = make.staff()
    browser.execute_cdp_cmd("Browser.setPermission", {"origin": live_server, "permission": {"name": "geolocation"},
                                                       "setting": "denied"})
    browser.get(f"{live_server}/app")
    log_in(browser, employee["username"], "punch-clock-42")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "location"), "ยังไม่ได้อนุญาตให้ใช้ตำแหน่ง"))
    text = browser.find_element(By.ID, "location").text
    screenshot(browser, "app-location-denied")
    assert "Android" in text and "iPhone" in text and "User denied" not in text


def test_an_unreachable_server_is_not_failed_to_fetch(browser, live_server, make):
    employee = make.staff()
    browser.get(f"{live_server}/app")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    log_in(browser, employee["username"], "punch-clock-42")
    text = login_error(browser, "ติดต่อเซิร์ฟเวอร์ไม่ได้")
    assert "Failed to fetch" not in text


def test_a_proxys_502_page_while_online_says_the_server_is_busy_and_keeps_the_check_in(browser, live_server, make,
                                                                                        tmp_path):
    employee = make.staff()
    open_app_at(browser, live_server, employee, *INSIDE_CITY_HALL)
    browser.execute_script("""
        const realFetch = window.fetch;  // a reverse proxy answering for a server that is down
        window.fetch = (url, options) => String(url).includes('/api/v1/checkins')
          ? Promise.resolve(new Response('<html><body>502 Bad Gateway</body></html>',
                                         { status: 502, headers: { 'Content-Type': 'text/html' } }))
          : realFetch(url, options);""")
    choose_photo(browser, tmp_path)
    browser.find_element(By.ID, "clock-in").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "เซิร์ฟเวอร์ไม่ว่าง"))
    assert "JSON" not in browser.find_element(By.ID, "result").text
    assert browser.find_element(By.ID, "outbox-count").text == "1"
