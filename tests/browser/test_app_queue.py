"""The employee page's outbox on a real day (the app issue, items 1, 2 and 5): a queued check-in
belongs to the account that made it, survives a session that ended, and a double tap sends once."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.support.browser import screenshot
from tests.support.places import INSIDE_CITY_HALL

from .test_pages import checkins_of, choose_photo, log_in, open_app_at, wait

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {**OFFLINE, "offline": False}


def network(driver, conditions: dict) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)


def queue_one_offline(driver, tmp_path, kind="clock-out") -> None:
    """Offline: take a photo and tap; the check-in waits in the outbox."""
    network(driver, OFFLINE)
    choose_photo(driver, tmp_path, "queued.jpg")
    driver.find_element(By.ID, kind).click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "ยังส่งไม่ได้"))
    assert driver.find_element(By.ID, "outbox-count").text == "1"


def checkins_by_admin(client, make, employee) -> list[dict]:
    """Listed with an admin's token: logging out in the page ends every token of the employee."""
    admin = make.user("admin")
    return client.get(f"/api/v1/checkins?employee_id={employee['employee_id']}", headers=admin["headers"]).get_json()


def log_out_accepting_the_warning(driver) -> str:
    driver.find_element(By.ID, "logout").click()
    alert = wait(driver).until(EC.alert_is_present())
    warning = alert.text
    alert.accept()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username")))
    return warning


def test_on_a_shared_phone_a_queued_check_in_is_only_ever_sent_as_its_owner(browser, live_server, client, make,
                                                                             tmp_path):
    first, second = make.staff(), make.staff()
    open_app_at(browser, live_server, first, *INSIDE_CITY_HALL)
    queue_one_offline(browser, tmp_path)
    warning = log_out_accepting_the_warning(browser)
    assert "รอส่ง 1 รายการ" in warning and "log in again" in warning

    network(browser, ONLINE)
    log_in(browser, second["username"])
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "outbox-others"), "1"))
    assert browser.find_element(By.ID, "outbox-count").text == "0"
    browser.execute_script("return flush()")
    screenshot(browser, "app-shared-phone-other-account")
    assert checkins_of(client, second) == [] and checkins_of(client, first) == []

    browser.find_element(By.ID, "logout").click()  # nothing of theirs waits: no warning
    wait(browser).until(EC.visibility_of_element_located((By.ID, "username")))
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""  # not left for the next person
    log_in(browser, first["username"])
    wait(browser, 40).until(EC.text_to_be_present_in_element((By.ID, "outbox-count"), "0"))
    [sent] = checkins_by_admin(client, make, first)
    assert sent["kind"] == "out" and checkins_by_admin(client, make, second) == []


def test_a_queued_check_in_survives_a_session_that_ended_and_is_sent_after_logging_in(browser, live_server,
                                                                                    client, make, tmp_path):
    employee = make.staff()
    open_app_at(browser, live_server, employee, *INSIDE_CITY_HALL)
    queue_one_offline(browser, tmp_path, kind="clock-in")
    # Every token of the account is revoked elsewhere (logged out on another device).
    assert client.post("/api/v1/auth/logout", headers=employee["headers"]).status_code == 204

    network(browser, ONLINE)
    browser.execute_script("flush()")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "login-error"), "เข้าสู่ระบบอีกครั้ง"))
    screenshot(browser, "app-session-ended")
    assert "log in again" in browser.find_element(By.ID, "login-error").text

    log_in(browser, employee["username"])
    wait(browser, 40).until(lambda driver: len(checkins_by_admin(client, make, employee)) == 1)
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "outbox-count"), "0"))


def test_a_double_tap_sends_one_check_in_and_the_photo_is_not_reused(browser, live_server, client, make, tmp_path):
    employee = make.staff()
    open_app_at(browser, live_server, employee, *INSIDE_CITY_HALL)
    choose_photo(browser, tmp_path)
    browser.execute_script("document.getElementById('clock-in').click(); document.getElementById('clock-in').click();")
    assert browser.find_element(By.ID, "clock-in").get_attribute("disabled") == "true"
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "accepted"))
    assert len(checkins_of(client, employee)) == 1
    assert browser.execute_script("return document.getElementById('selfie').value") == ""
    assert "hidden" in browser.find_element(By.ID, "preview").get_attribute("class")
    assert browser.find_element(By.ID, "clock-in").get_attribute("disabled") is None


def test_the_review_page_says_the_session_ended(browser, live_server, client, make):
    supervisor = make.staff("supervisor", make.unit())
    browser.get(f"{live_server}/review")
    log_in(browser, supervisor["username"])
    wait(browser).until(EC.visibility_of_element_located((By.ID, "workspace")))
    assert client.post("/api/v1/auth/logout", headers=supervisor["headers"]).status_code == 204
    browser.execute_script("loadQueue().catch(() => null)")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "login-error"), "เข้าสู่ระบบอีกครั้ง"))


def test_a_check_in_sent_late_from_the_queue_says_so_and_shows_the_time_it_was_tapped(browser, live_server, client,
                                                                                        make, tmp_path):
    employee = make.staff()
    open_app_at(browser, live_server, employee, *INSIDE_CITY_HALL)
    queue_one_offline(browser, tmp_path, kind="clock-in")
    # As if the phone had been offline for 25 minutes: the queued check-in was tapped then.
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        outbox.all().then(async ([event]) => {
          event.captured_at = new Date(Date.now() - 25 * 60 * 1000).toISOString();
          await outbox.put(event);
          done();
        });""")
    network(browser, ONLINE)
    browser.execute_script("return flush()")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result"), "ส่งช้าจากคิวออฟไลน์"))
    screenshot(browser, "app-sent-late")
    result = browser.find_element(By.ID, "result").text
    assert "ผู้บังคับบัญชาจะยืนยัน" in result and "The device clock" not in result
    assert "ส่งเมื่อ / sent" in browser.find_element(By.ID, "result-time").text
    [stored] = checkins_by_admin(client, make, employee)
    assert "SENT_LATE" in stored["reasons"] and "CLOCK_SKEW" not in stored["reasons"]


def test_without_a_position_the_app_asks_before_sending(browser, live_server, client, make, tmp_path):
    employee = make.staff()
    browser.execute_cdp_cmd("Browser.setPermission", {"origin": live_server, "permission": {"name": "geolocation"},
                                                       "setting": "denied"})
    browser.get(f"{live_server}/app")
    log_in(browser, employee["username"])
    choose_photo(browser, tmp_path)
    browser.find_element(By.ID, "clock-in").click()
    question = wait(browser).until(EC.alert_is_present())
    assert "ยังไม่มีตำแหน่ง GPS" in question.text
    question.dismiss()
    assert checkins_by_admin(client, make, employee) == []
    assert browser.find_element(By.ID, "outbox-count").text == "0"


def test_touch_targets_are_44_px_and_the_pages_name_their_icon(browser, live_server, client):
    browser.set_window_size(390, 844)
    for page in ("/app", "/review"):
        browser.get(f"{live_server}{page}")
        wait(browser).until(EC.visibility_of_element_located((By.ID, "username")))
        for element in browser.find_elements(By.CSS_SELECTOR, "form#login input, form#login button"):
            assert element.size["height"] >= 44, (page, element.get_attribute("id"), element.size)
        assert browser.find_elements(By.CSS_SELECTOR, "link[rel=icon]"), page
    manifest = client.get("/app/manifest.webmanifest").get_json(force=True)
    assert manifest["id"] == "/app" and manifest["orientation"] == "portrait" and manifest["description"]


def test_the_live_camera_takes_the_photo_and_no_gallery_is_offered(camera_browser, live_server, client, make):
    employee = make.staff()
    open_app_at(camera_browser, live_server, employee, *INSIDE_CITY_HALL)
    wait(camera_browser).until(lambda d: d.execute_script("return document.getElementById('camera').videoWidth > 0"))
    assert not camera_browser.find_element(By.ID, "file-box").is_displayed()
    assert camera_browser.find_element(By.CSS_SELECTOR, ".guide .face").is_displayed()
    camera_browser.find_element(By.ID, "shoot").click()
    wait(camera_browser).until(EC.visibility_of_element_located((By.ID, "preview")))
    screenshot(camera_browser, "app-camera")
    camera_browser.find_element(By.ID, "clock-in").click()
    wait(camera_browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "accepted"))
    [stored] = checkins_by_admin(client, make, employee)
    assert stored["status"] == "accepted"
    admin = make.user("admin")["headers"]
    selfie = client.get(f"/api/v1/checkins/{stored['id']}/selfie", headers=admin)
    assert selfie.status_code == 200 and selfie.mimetype == "image/jpeg" and selfie.data[:2] == b"\xff\xd8"


def test_the_location_line_is_green_only_inside_one_of_the_employees_sites(browser, live_server, make):
    employee = make.staff()
    open_app_at(browser, live_server, employee, 13.7532, 100.5023)  # ~60 m east of the fence, accuracy 12 m
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "location"), "ไม่อยู่ในพื้นที่ลงเวลาของคุณ"))
    assert browser.find_element(By.ID, "location").get_attribute("class") == "poor"
    browser.execute_cdp_cmd("Emulation.setGeolocationOverride",
                            {"latitude": INSIDE_CITY_HALL[0], "longitude": INSIDE_CITY_HALL[1], "accuracy": 12})
    browser.find_element(By.ID, "locate").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "location"), "อยู่ใน"))
    assert browser.find_element(By.ID, "location").get_attribute("class") == "good"


def test_at_phone_width_the_main_buttons_keep_to_one_line_and_english_is_marked(browser, live_server, make):
    employee = make.staff()
    browser.set_window_size(390, 844)
    open_app_at(browser, live_server, employee, *INSIDE_CITY_HALL)
    for button in ("clock-in", "clock-out"):
        spread = browser.execute_script(  # a wrapped label puts a piece a whole line (~25 px) lower
            f"const range = document.createRange(); range.selectNodeContents(document.getElementById('{button}'));"
            "const tops = [...range.getClientRects()].map((rect) => rect.top);"
            "return Math.max(...tops) - Math.min(...tops)")
        assert spread < 10, (button, spread)
    assert browser.find_elements(By.CSS_SELECTOR, "#clock-in [lang=en]")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=username] [lang=en]").get_attribute("textContent") == "Username"
    for button in ("clock-in", "clock-out"):  # nor does the label overflow its button
        assert browser.execute_script(f"const b = document.getElementById('{button}'); return b.scrollWidth <= b.clientWidth")
