"""The two pages in a real browser: an employee checks in (also offline, sent later once);
a supervisor approves one item and rejects another with a note."""

from __future__ import annotations


import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.api import post_checkin
from tests.support.browser import screenshot
from tests.support.images import jpeg_bytes
from tests.support.places import INSIDE_CITY_HALL


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


def log_in(driver, username, password="punch-clock-42"):
    field = wait(driver).until(EC.visibility_of_element_located((By.ID, "username")))
    field.clear()  # what the previous user typed may still be there
    field.send_keys(username)
    driver.find_element(By.ID, "password").clear()
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form#login button[type=submit]").click()


def open_app_at(driver, live_server, employee, latitude, longitude, accuracy=12):
    """The employee's page, logged in, with the phone at that position (location allowed)."""
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": live_server, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride",
                           {"latitude": latitude, "longitude": longitude, "accuracy": accuracy})
    driver.get(f"{live_server}/app")
    log_in(driver, employee["username"])
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "location"), f"±{accuracy}"))


def choose_photo(driver, tmp_path, name="selfie.jpg") -> None:
    """A photo file given to the page's file input (the camera's fallback)."""
    photo = tmp_path / name
    photo.write_bytes(jpeg_bytes(640, 480))
    driver.find_element(By.ID, "selfie").send_keys(str(photo))


def checkins_of(client, user):
    return client.get("/api/v1/checkins", headers=user["headers"]).get_json()


def test_employee_checks_in_from_the_app_and_offline_ones_are_sent_once(browser, live_server, client, make,
                                                                         tmp_path):
    employee = make.staff()
    latitude, longitude = INSIDE_CITY_HALL
    open_app_at(browser, live_server, employee, latitude, longitude)

    choose_photo(browser, tmp_path, "first.jpg")
    browser.find_element(By.ID, "clock-in").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "accepted"))
    assert "อยู่ในพื้นที่ลงเวลา" in browser.find_element(By.ID, "result").text
    screenshot(browser, "app-accepted")

    [stored] = checkins_of(client, employee)
    assert (stored["status"], stored["kind"], stored["accuracy_confidence"]) == ("accepted", "in", 95)
    assert stored["accuracy_m"] == 12 and stored["device_id"]

    # Offline: the check-in is kept in the page, then sent once the network is back.
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    choose_photo(browser, tmp_path, "second.jpg")
    browser.find_element(By.ID, "clock-out").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "ยังส่งไม่ได้"))
    assert browser.find_element(By.ID, "outbox-count").text == "1"
    screenshot(browser, "app-offline-queued")
    assert len(checkins_of(client, employee)) == 1

    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    wait(browser, 40).until(EC.text_to_be_present_in_element((By.ID, "outbox-count"), "0"))
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "accepted"))
    listed = checkins_of(client, employee)
    assert sorted(item["kind"] for item in listed) == ["in", "out"]
    assert len({item["client_event_id"] for item in listed}) == 2


def test_the_app_takes_a_fresh_fix_when_the_button_is_pressed(browser, live_server, client, make, tmp_path):
    """A position read at login and sent 9 km later used to be accepted."""
    employee = make.staff()
    latitude, longitude = INSIDE_CITY_HALL
    open_app_at(browser, live_server, employee, latitude, longitude)

    browser.execute_cdp_cmd("Emulation.setGeolocationOverride",  # the person has moved 9 km north
                            {"latitude": latitude + 0.081, "longitude": longitude, "accuracy": 15})
    choose_photo(browser, tmp_path)
    browser.find_element(By.ID, "clock-in").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "result-status"), "flagged"))
    assert "±15" in browser.find_element(By.ID, "location").text
    screenshot(browser, "app-fresh-fix")
    [stored] = checkins_of(client, employee)
    assert stored["latitude"] == pytest.approx(latitude + 0.081) and stored["accuracy_m"] == 15
    assert stored["position_at"] is not None and "OUTSIDE_GEOFENCE" in stored["reasons"]


@pytest.fixture
def flagged_pair(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    supervisor = make.staff("supervisor", unit)
    employees = [make.staff("employee", unit), make.staff("employee", unit)]
    ids = [post_checkin(client, employee, mock_location="true").get_json()["id"] for employee in employees]
    return supervisor, ids


def test_supervisor_approves_one_and_rejects_one_with_a_note(browser, live_server, client, flagged_pair, make):
    supervisor, (first, second) = flagged_pair
    browser.get(f"{live_server}/review")
    log_in(browser, supervisor["username"])
    wait(browser).until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, "#queue li")) == 2)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#reasons li[data-code=MOCK_LOCATION]")))
    wait(browser).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "#map polygon.fence"))
    assert browser.find_elements(By.CSS_SELECTOR, "#map circle.accuracy")
    assert "อุปกรณ์รายงานว่าใช้ตำแหน่งจำลอง" in browser.find_element(By.ID, "reasons").text
    assert "ใช้ป้ายเมื่อ GPS คลาดเคลื่อน" in browser.find_element(By.ID, "policy").text  # the site's policy
    wait(browser).until(lambda driver: driver.find_element(By.ID, "selfie").get_attribute("src").startswith("blob:"))
    screenshot(browser, "review-queue")

    # Keyboard: "a" asks, "a" again approves the selected (oldest) item.
    browser.find_element(By.TAG_NAME, "body").send_keys("a")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "toast"), "กด a อีกครั้ง"))
    browser.find_element(By.TAG_NAME, "body").send_keys("a")
    wait(browser).until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, "#queue li")) == 1)

    # Rejecting needs a note.
    wait(browser).until(lambda driver: driver.find_element(By.CSS_SELECTOR, "#queue li").get_attribute("data-id")
                        == str(second))
    browser.find_element(By.ID, "reject").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "decision-error"), "เหตุผล"))
    note = browser.find_element(By.ID, "note")
    note.send_keys("ภาพไม่ใช่ที่สำนักงาน")
    note.send_keys(Keys.ESCAPE)
    browser.find_element(By.ID, "reject").click()
    wait(browser).until(EC.visibility_of_element_located((By.ID, "empty")))
    screenshot(browser, "review-done")

    headers = make.user("admin")["headers"]
    approved = client.get(f"/api/v1/checkins/{first}", headers=headers).get_json()
    rejected = client.get(f"/api/v1/checkins/{second}", headers=headers).get_json()
    assert (approved["status"], approved["review"]["decision"]) == ("accepted", "approve")
    assert (rejected["status"], rejected["review"]["note"]) == ("rejected", "ภาพไม่ใช่ที่สำนักงาน")
    for checkin_id in (first, second):
        trail = client.get(f"/api/v1/checkins/{checkin_id}/audit", headers=headers).get_json()
        reviewed = [entry for entry in trail if entry["action"] == "checkin.reviewed"]
        assert len(reviewed) == 1 and reviewed[0]["actor_id"] == supervisor["id"]
