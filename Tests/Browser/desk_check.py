#!/usr/bin/env python3
"""Drives the provider desk (/desk/) in Debian's headless Chromium against a running Kakehashi
server on the three-prefecture fixtures (issue #20):

a steward signs up with an invitation made by `kakehashi desk invite --steward`, records 所沢市's (ア)
progress for fiscal 2025, invites a visiting-nurse station in 所沢市; the station's staff sign up with that code, enter `Mo-Fr 18:00-09:00` as
night hours through the form, draw their area on the map and post tonight's on-call; a coordinator's
lookup on the web map at the station's address shows it `covered` on its hours, "本日確認"; a point
of 所沢市 outside the drawn area does not list it.

A steward of 所沢市 alone (`desk invite --steward --municipality 11208`) sees only the progress form,
fixed to 11208, and records (イ).

Usage: desk_check.py --base http://127.0.0.1:PORT --out test-output/browser --steward-code CODE --municipal-code CODE
"""
import argparse
import datetime
import json
import math
import sys
import time
import urllib.parse
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from web_map_check import browser_errors, check, driver_for, failures, wait

PASSWORD = "browser-check-2026"
FAR_ADDRESS = "埼玉県所沢市元町28-9"


def api(base, path, params=None):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.loads(r.read())


def metres(a, b):
    """Straight-line distance of two (lat, lon) points (short range)."""
    dy = (a[0] - b[0]) * 111_000
    dx = (a[1] - b[1]) * 111_000 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def pick_station(base):
    """A visiting-nurse station of 所沢市 placed at least 4 km from the far address's point."""
    far = api(base, "/v1/geocode", {"q": FAR_ADDRESS})
    far_point = (far["lat"], far["lon"])
    fc = api(base, "/v1/providers", {"bbox": "139.38,35.74,139.56,35.85", "service": "home_visit_nursing", "limit": 2000})
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        if f["properties"].get("municipality_code") == "11208" and metres((lat, lon), far_point) > 4000:
            return f, far_point
    raise SystemExit("desk-check: no visiting-nurse station of 所沢市 far enough from the far address")


def message(driver):
    return driver.find_element(By.ID, "message").text


def visible(driver, element_id):
    return driver.execute_script(f"return !document.getElementById('{element_id}').hidden")


def steward_invites(driver, base, out, code, station_id):
    driver.get(base + "/desk/#invite=" + code)
    wait(driver).until(lambda d: visible(d, "invite-view"))
    check(driver.find_element(By.ID, "invite-code").get_attribute("value") == code, "the invitation link fills in the code")
    driver.find_element(By.ID, "invite-login").send_keys("steward-browser")
    driver.find_element(By.ID, "invite-password").send_keys(PASSWORD)
    driver.find_element(By.ID, "invite-submit").click()
    wait(driver).until(lambda d: visible(d, "steward-view"))
    check(True, "the steward signed up with the CLI's invitation and sees the steward's page")
    driver.find_element(By.ID, "invite-provider").send_keys(str(station_id))
    driver.find_element(By.CSS_SELECTOR, "#invitation-form button[type=submit]").click()
    wait(driver).until(lambda d: visible(d, "invitation-card"))
    card = driver.find_element(By.ID, "invitation-card")
    station_code = card.find_element(By.CSS_SELECTOR, ".code").text
    check(len(station_code) == 19, f"the invitation card shows a code to print or FAX: {station_code}")
    check("/desk/#invite=" in card.text, "the card shows the link")
    driver.save_screenshot(f"{out}/desk-invitation.png")
    steward_records_progress(driver, base, out)
    driver.find_element(By.ID, "logout").click()
    wait(driver).until(lambda d: visible(d, "login-view"))
    return station_code


def steward_records_progress(driver, base, out):
    """The steward records 所沢市's (ア) for fiscal 2025 on the page; the matrix and the API show it."""
    driver.find_element(By.ID, "progress-code").send_keys("11208")
    year = driver.find_element(By.ID, "progress-year")
    year.clear()
    year.send_keys("2025")
    Select(driver.find_element(By.ID, "progress-item")).select_by_value("a")
    Select(driver.find_element(By.ID, "progress-stage")).select_by_visible_text("実施中")
    driver.find_element(By.ID, "progress-note").send_keys("資源マップを公開")
    driver.find_element(By.CSS_SELECTOR, "#progress-form button[type=submit]").click()
    # The matrix is drawn again when the answer comes: the row is read inside the wait.
    def recorded(d):
        rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#progress-table tbody tr") if "所沢市（11208）" in r.text]
        return bool(rows) and rows[0].find_elements(By.TAG_NAME, "td")[1].text == "実施中"
    wait(driver).until(recorded, "the matrix shows 所沢市's (ア) at 実施中")
    matrix = api(base, "/v1/progress", {"prefecture": "11", "fiscal_year": "2025"})
    entry = next((m["entries"].get("a") for m in matrix["municipalities"] if m["code"] == "11208"), None)
    check(entry is not None and entry["stage"] == "implementing" and entry["note"] == "資源マップを公開",
          f"the API has the record: {entry}")
    driver.save_screenshot(f"{out}/desk-progress.png")


def municipal_steward_records_its_own(driver, base, out, code):
    """A steward of 所沢市 only: the progress form alone, its code fixed; (イ) recorded for this fiscal year."""
    driver.get(base + "/desk/#invite=" + code)
    driver.refresh()
    wait(driver).until(lambda d: visible(d, "invite-view"))
    driver.find_element(By.ID, "invite-login").send_keys("tokorozawa-browser")
    driver.find_element(By.ID, "invite-password").send_keys(PASSWORD)
    driver.find_element(By.ID, "invite-submit").click()
    wait(driver).until(lambda d: visible(d, "steward-view"))
    wait(driver).until(lambda d: d.find_element(By.ID, "progress-item").find_elements(By.TAG_NAME, "option"))
    field = driver.find_element(By.ID, "progress-code")
    check(not visible(driver, "steward-region") and field.get_attribute("value") == "11208" and field.get_attribute("readonly") is not None,
          "the steward of 所沢市 sees only the progress form, fixed to 11208")
    Select(driver.find_element(By.ID, "progress-item")).select_by_value("b")
    Select(driver.find_element(By.ID, "progress-stage")).select_by_visible_text("検討中")
    driver.find_element(By.CSS_SELECTOR, "#progress-form button[type=submit]").click()
    wait(driver).until(lambda d: "進捗を記録しました" in message(d))
    year = driver.find_element(By.ID, "progress-year").get_attribute("value")
    matrix = api(base, "/v1/progress", {"prefecture": "11", "fiscal_year": year})
    entry = next((m["entries"].get("b") for m in matrix["municipalities"] if m["code"] == "11208"), None)
    check(entry is not None and entry["stage"] == "considering", f"所沢市's (イ) is recorded by its own steward: {entry}")
    driver.save_screenshot(f"{out}/desk-municipal-steward.png")
    driver.find_element(By.ID, "logout").click()
    wait(driver).until(lambda d: visible(d, "login-view"))


def station_keeps_its_nights(driver, base, out, code, station):
    driver.get(base + "/desk/#invite=" + code)
    driver.refresh()
    wait(driver).until(lambda d: visible(d, "invite-view"))
    driver.find_element(By.ID, "invite-login").send_keys("station-browser")
    driver.find_element(By.ID, "invite-password").send_keys(PASSWORD)
    driver.find_element(By.ID, "invite-submit").click()
    wait(driver).until(lambda d: visible(d, "provider-view"))
    check(driver.find_element(By.ID, "provider-title").text == station["properties"]["name"], "the staff land on their own desk")
    Select(driver.find_element(By.ID, "hours-service")).select_by_value("home_visit_nursing")
    wait(driver).until(lambda d: d.find_element(By.ID, "hours-raw").get_attribute("value") == "Mo-Fr 18:00-09:00")
    check(True, "the form writes Mo-Fr 18:00-09:00 from its row of days and times")
    wait(driver).until(lambda d: d.find_element(By.ID, "hours-check").text == "読めます")
    driver.find_element(By.ID, "hours-preview").click()
    wait(driver).until(lambda d: visible(d, "preview-table"))
    rows = driver.find_elements(By.CSS_SELECTOR, "#preview-table tbody tr")
    check(len(rows) == 7, f"the preview shows the next 7 nights ({len(rows)})")
    driver.find_element(By.ID, "hours-save").click()
    wait(driver).until(lambda d: "時間を保存しました" in message(d))
    check(True, "the hours were saved")
    # The area: four corners clicked on the map around the station (about ±1.8 km at zoom 12).
    driver.find_element(By.CSS_SELECTOR, "input[name=area-rule][value=polygon]").click()
    wait(driver).until(lambda d: visible(d, "area-draw-done"))
    the_map = driver.find_element(By.ID, "desk-map")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", the_map)
    for dx, dy in ((-60, -60), (60, -60), (60, 60), (-60, 60)):
        ActionChains(driver).move_to_element_with_offset(the_map, dx, dy).click().perform()
    driver.find_element(By.ID, "area-draw-done").click()
    driver.find_element(By.ID, "area-save").click()
    wait(driver).until(lambda d: "地域を保存しました" in message(d))
    check(True, "the area drawn on the map was saved")
    driver.save_screenshot(f"{out}/desk-provider.png")


def next_weekday_night():
    """The date of a night Mo-Fr 18:00-09:00 covers whole: today in Japan if Monday to Friday, else the next Monday."""
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
    while today.weekday() > 4:
        today += datetime.timedelta(days=1)
    return today.isoformat()


def coordinator_sees(driver, base, out, address, station_id, night):
    driver.get(base + "/")
    wait(driver).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    driver.find_element(By.ID, "address").send_keys(address)
    Select(driver.find_element(By.ID, "service")).select_by_value("home_visit_nursing")
    driver.find_element(By.CSS_SELECTOR, "input[name=when][value=date]").click()
    driver.execute_script(f"document.getElementById('date').value = '{night}'")
    driver.find_element(By.ID, "search").click()
    wait(driver).until(lambda d: "該当" in d.find_element(By.ID, "coverage-status").text)
    items = driver.find_elements(By.CSS_SELECTOR, f'#results li[data-provider-id="{station_id}"]')
    return items[0].text if items else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--steward-code", required=True)
    parser.add_argument("--municipal-code", required=True)
    args = parser.parse_args()
    station, far_point = pick_station(args.base)
    station_id = station["id"]
    driver = driver_for(1280, 1000, args.out)
    try:
        code = steward_invites(driver, args.base, args.out, args.steward_code, station_id)
        municipal_steward_records_its_own(driver, args.base, args.out, args.municipal_code)
        station_keeps_its_nights(driver, args.base, args.out, code, station)
        desk = api(args.base, "/v1/providers/%d" % station_id)
        address = desk.get("address")
        night = next_weekday_night()
        # The server reads the new declarations within seconds of each write.
        text = None
        for _ in range(30):
            text = coordinator_sees(driver, args.base, args.out, "埼玉県" + address if not address.startswith("埼玉県") else address, station_id, night)
            if text and "対応可" in text and "地域（本日確認）" in text:
                break
            time.sleep(1)
        check(text is not None and "対応可" in text, f"at the station's address on the night of {night} the station is covered: {text!r}")
        check(text is not None and "時間（本日確認）" in text and "地域（本日確認）" in text,
              "the entry says its hours and area were declared and confirmed today")
        answer = api(args.base, "/v1/coverage", {"address": address, "service": "home_visit_nursing", "window": "tonight", "date": night, "limit": 200})
        entry = next((r for r in answer["results"] if r["provider_id"] == station_id), None)
        check(entry is not None and entry["basis"] == "hours", f"the API agrees: basis {entry and entry['basis']}")
        driver.save_screenshot(f"{args.out}/desk-coordinator.png")
        far = coordinator_sees(driver, args.base, args.out, FAR_ADDRESS, station_id, night)
        check(far is None, "at a point of 所沢市 outside the drawn area the station is not listed")
        # On call tonight, in one click from the desk: the lookup tonight shows the number.
        driver.get(args.base + "/desk/")
        wait(driver).until(lambda d: visible(d, "provider-view"))
        driver.find_element(By.ID, "oncall-contact").clear()
        driver.find_element(By.ID, "oncall-contact").send_keys("090-1234-5678")
        driver.find_element(By.ID, "oncall-tonight").click()
        wait(driver).until(lambda d: "当番を登録しました" in message(d))
        tonight = api(args.base, "/v1/coverage", {"address": address, "service": "home_visit_nursing", "window": "tonight", "limit": 200})
        entry = next((r for r in tonight["results"] if r["provider_id"] == station_id), None)
        check(entry is not None and entry["basis"] == "on_call" and entry["contact"].get("on_call") == "090-1234-5678",
              "tonight the station is on call with its number")
        errors = browser_errors(driver)
        check(not [e for e in errors if "status of 4" not in e], f"no script errors on the desk: {errors[:3]}")
    finally:
        driver.quit()
    if failures:
        print(f"desk-check: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("desk-check: passed")


if __name__ == "__main__":
    main()
