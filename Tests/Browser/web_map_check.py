#!/usr/bin/env python3
"""Drives the web map in Debian's headless Chromium (Selenium + chromium-driver) against a running
Kakehashi server on the three-prefecture fixtures, and checks what the page shows against the API.

Usage: web_map_check.py --base http://127.0.0.1:PORT --out test-output/browser
Screenshots (coordinator, planner, tablet) and the printable summary (PDF) go to --out.
"""
import argparse
import base64
import csv
import io
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ADDRESS = "埼玉県所沢市元町28-9"  # a real 所沢市 address (three_cities.csv)
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def api(base, path, params=None):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def driver_for(width, height, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=ja-JP", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The browser check's nginx uses a throwaway certificate that only this run trusts.
    if os.environ.get("KAKEHASHI_BROWSER_INSECURE_TLS") == "1":
        options.accept_insecure_certs = True
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def wait(driver, seconds=60):
    # A list re-drawn between finding an element and reading it is read again, not a failure.
    return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException])


def open_page(driver, base):
    driver.get(base + "/")
    wait(driver).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def browser_errors(driver):
    # The deliberate unreadable address answers 422; the network log reports that as an error.
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and not (e.get("source") == "network" and "status of 422" in e["message"])]


def coordinator(driver, base, out):
    open_page(driver, base)
    check(driver.title.startswith("架け橋"), "the page title is Japanese (架け橋…)")
    check(driver.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "ja", "the page is marked lang=ja")
    box = driver.find_element(By.ID, "address")
    box.send_keys(ADDRESS)
    Select(driver.find_element(By.ID, "service")).select_by_value("home_visit_medical")
    box.send_keys(Keys.ENTER)  # the form submits from the keyboard
    wait(driver).until(lambda d: "該当" in d.find_element(By.ID, "coverage-status").text
                       or d.find_element(By.ID, "coverage-status").get_attribute("class") == "error")
    status = driver.find_element(By.ID, "coverage-status").text
    check("該当" in status, f"the lookup answered: {status}")

    expected = json.loads(api(base, "/v1/coverage", {"address": ADDRESS, "service": "home_visit_medical", "window": "tonight",
                                                      "limit": 50, "explain": "true"}))
    items = driver.find_elements(By.CSS_SELECTOR, "#results li.provider")
    shown = [int(li.get_attribute("data-provider-id")) for li in items]
    check(len(expected["results"]) > 0, f"/v1/coverage lists {len(expected['results'])} providers for the 所沢市 address")
    check(shown == [r["provider_id"] for r in expected["results"]], "the listed providers and their order match /v1/coverage")
    names = [li.find_element(By.CLASS_NAME, "provider-name").text for li in items]
    check(names == [r["name"] for r in expected["results"]], "the listed names match /v1/coverage")
    check(f"該当 {expected['total']} 件" in status, "the page states the same total as the API")
    located = [r for r in expected["results"] if "lat" in r and "lon" in r]
    check(len(located) == len(expected["results"]), "every fixture entry carries the provider's lat/lon")
    markers = len(driver.find_elements(By.CSS_SELECTOR, "path.result-marker"))
    check(markers == len(located), f"the map shows one marker per listed provider ({markers} of {len(located)})")
    first = items[0]
    check(first.find_element(By.CSS_SELECTOR, ".badge").text in ("対応可", "一部の時間のみ", "不明（情報なし）"), "each entry shows its status")
    check("km" in first.text or " m" in first.text, "each entry shows its distance")
    geocode = driver.find_element(By.ID, "geocode").text
    check("精度" in geocode and "元町" in geocode, f"the geocode level is stated: {geocode[:60]}")

    # Selecting a provider draws its area and says why it qualifies.
    first.find_element(By.CSS_SELECTOR, "button.show-area").click()
    wait(driver).until(lambda d: "地図の区域" in first.text)
    why = first.find_element(By.CLASS_NAME, "why").text
    check(expected["results"][0]["area"]["detail"] in why, "the reason names the matched service-area rule")
    areas = driver.execute_script("return document.querySelectorAll('path.service-area').length")
    check(areas >= 1, f"the service area is drawn ({areas} shapes on the map)")

    time.sleep(1)  # let the map finish its move to the drawn area
    driver.save_screenshot(os.path.join(out, "coordinator.png"))

    # The printable summary: no map, a table of the same providers.
    driver.execute_script("window.print = () => {};")
    driver.find_element(By.ID, "print").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#print-summary tr")
    check(len(rows) == len(expected["results"]) + 1, "the printable summary lists every provider")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.save_screenshot(os.path.join(out, "coordinator-summary.png"))
    check(not driver.find_element(By.ID, "map").is_displayed(), "the printed summary leaves the map out")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = driver.print_page()
    with open(os.path.join(out, "coordinator-summary.pdf"), "wb") as f:
        f.write(base64.b64decode(pdf))

    # 居宅介護支援 for the night of 12/31: contacts, the explain list and paging.
    Select(driver.find_element(By.ID, "service")).select_by_value("care_management")
    driver.find_element(By.CSS_SELECTOR, "input[name=when][value=date]").click()
    driver.execute_script("document.getElementById('date').value = '2026-12-31'")
    driver.find_element(By.ID, "search").click()
    wait(driver).until(lambda d: "居宅介護支援" in d.find_element(By.ID, "coverage-status").text)
    params = {"address": ADDRESS, "service": "care_management", "window": "tonight", "date": "2026-12-31", "limit": 50, "explain": "true"}
    care = json.loads(api(base, "/v1/coverage", params))
    shown = [int(li.get_attribute("data-provider-id")) for li in driver.find_elements(By.CSS_SELECTOR, "#results li.provider")]
    check(shown == [r["provider_id"] for r in care["results"]], "居宅介護支援 on 12/31 night: the list matches /v1/coverage")
    phones = [r for r in care["results"] if r["contact"].get("phone")]
    links = driver.find_elements(By.CSS_SELECTOR, "#results a[href^='tel:']")
    check(len(phones) > 0 and len(links) == len(phones), f"click-to-call links for every provider with a phone ({len(links)}/{len(phones)})")
    check(links[0].get_attribute("href") == "tel:" + "".join(ch for ch in phones[0]["contact"]["phone"] if ch.isdigit() or ch == "+"),
          "the tel: link dials the listed number")
    excluded = care.get("excluded") or []
    shown_excluded = driver.find_elements(By.CSS_SELECTOR, "#excluded li")
    check(len(excluded) > 0 and len(shown_excluded) == len(excluded), f"the explain list shows the {len(excluded)} excluded providers")
    check("実施地域の外" in shown_excluded[0].get_attribute("textContent"), "each exclusion states its reason")
    if care["total"] > len(care["results"]):
        driver.find_element(By.CSS_SELECTOR, "#paging button").click()
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results li.provider")) > len(care["results"]))
        page2 = json.loads(api(base, "/v1/coverage", dict(params, offset=50)))
        shown = [int(li.get_attribute("data-provider-id")) for li in driver.find_elements(By.CSS_SELECTOR, "#results li.provider")]
        check(shown == [r["provider_id"] for r in care["results"] + page2["results"]], "the next page continues the ranking")

    # A bad address gets the API's Japanese problem text, not a crash.
    box.clear()
    box.send_keys("あいうえお")
    box.send_keys(Keys.ENTER)
    wait(driver).until(lambda d: d.find_element(By.ID, "coverage-status").get_attribute("class") == "error")
    check(len(driver.find_element(By.ID, "coverage-status").text) > 5, "an unreadable address shows the problem's title and detail")


def planner(driver, base, out, downloads):
    open_page(driver, base)
    tab = driver.find_element(By.ID, "tab-coordinator")
    tab.send_keys(Keys.ARROW_RIGHT)  # keyboard: arrow keys move between the tabs
    wait(driver).until(lambda d: d.find_element(By.ID, "tab-planner").get_attribute("aria-selected") == "true")
    check(driver.find_element(By.ID, "view-planner").is_displayed(), "the planner view opens from the keyboard")
    Select(driver.find_element(By.ID, "indicator")).select_by_value("ratio_75_plus")
    wait(driver).until(lambda d: "市区町村" in d.find_element(By.ID, "planner-status").text)
    legend = driver.find_element(By.ID, "legend").text
    check("後期高齢者割合" in legend and "%" in legend, "the legend names the indicator and its unit")
    check("出典データ" in legend and "municipal_elderly_2025" in legend, "the legend names the source dataset")
    labels = driver.execute_script("return Chart.getChart('chart') ? Chart.getChart('chart').data.labels : []")
    values = driver.execute_script("return Chart.getChart('chart') ? Chart.getChart('chart').data.datasets[0].data : []")
    check(len(labels) > 0, f"the bar chart compares municipalities ({len(labels)} bars)")
    highlighted = driver.execute_script("return document.querySelectorAll('path.municipality.highlighted').length")
    check(highlighted >= 1, f"municipalities of concern are highlighted ({highlighted})")

    # The CSV of what is on screen, downloaded by the browser, equals /v1/layers for the same box.
    link = driver.find_element(By.ID, "download-csv")
    href = link.get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    for name in os.listdir(downloads):
        os.remove(os.path.join(downloads, name))
    link.click()
    target = os.path.join(downloads, "municipalities.csv")
    for _ in range(120):
        if os.path.exists(target) and os.path.getsize(target) > 0:
            break
        time.sleep(0.5)
    check(os.path.exists(target), "the CSV link downloads municipalities.csv")
    if os.path.exists(target):
        downloaded = open(target, "rb").read()
        direct = api(base, "/v1/layers/municipalities.csv", {k: v[0] for k, v in query.items()})
        check(downloaded == direct, "the downloaded CSV equals /v1/layers/municipalities.csv for the same view")
        rows = {r["name"]: float(r["ratio_75_plus"]) for r in csv.DictReader(io.StringIO(downloaded.decode("utf-8"))) if r["ratio_75_plus"]}
        agree = all(abs(rows.get(n, -1) - v) < 0.01 for n, v in zip(labels, values))
        check(agree, "every bar of the chart has the value the CSV gives")

    # The planner picks 2040: the projection is shown and named, the legend and chart follow (issue #21).
    Select(driver.find_element(By.ID, "indicator")).select_by_value("ratio_65_plus")
    wait(driver).until(lambda d: "高齢化率" in d.find_element(By.ID, "legend").text and "2025年" in d.find_element(By.ID, "planner-status").text)
    before = driver.execute_script("return Chart.getChart('chart').data.datasets[0].data.slice()")
    years = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "year")).options]
    check("2040" in years and "2020" in years, f"the year list offers the projection's years ({', '.join(years[1:])})")
    Select(driver.find_element(By.ID, "year")).select_by_value("2040")
    wait(driver, 60).until(lambda d: "2040年" in d.find_element(By.ID, "planner-status").text)
    legend = driver.find_element(By.ID, "legend").text
    check("人口：2040年・将来推計人口" in legend, "the legend names the year and that it is a projection")
    after = driver.execute_script("return Chart.getChart('chart').data.datasets[0].data.slice()")
    check(len(after) > 0 and after != before and max(after) > max(before),
          f"the chart shows 2040's higher ratios (top {max(after):.1f} % against {max(before):.1f} %)")
    tokorozawa = api(base, "/v1/layers/municipalities.csv", {"indicator": "ratio_65_plus", "year": "2040"}).decode("utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(tokorozawa)) if r["code"] == "11208")
    check(row["population_kind"] == "projection" and abs(float(row["ratio_65_plus"]) - 116624 / 322316 * 100) < 0.001,
          "所沢市 2040 as the projection file has it")
    driver.save_screenshot(os.path.join(out, "planner-2040.png"))
    # A click on 所沢市 offers its profile.
    driver.execute_script("document.querySelector('path.municipality[data-code=\"11208\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    link = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a.profile-link"))[0]
    check("/profile?code=11208" in link.get_attribute("href"), "a click on a municipality offers its profile")
    profile_url = link.get_attribute("href")
    Select(driver.find_element(By.ID, "year")).select_by_value("")
    wait(driver, 60).until(lambda d: "2025年" in d.find_element(By.ID, "planner-status").text)

    # Mesh layer and gaps, then clustered providers, around 所沢市東部 (inside the mesh fixture).
    driver.find_element(By.ID, "mesh-toggle").click()
    Select(driver.find_element(By.ID, "planner-service")).select_by_value("home_visit_nursing")
    driver.execute_script("location.hash = '#13/35.8000/139.5300'")  # the page's shareable view link
    wait(driver, 120).until(lambda d: "メッシュ" in d.find_element(By.ID, "planner-status").text and "区画" in d.find_element(By.ID, "planner-status").text)
    meshes = driver.execute_script("return document.querySelectorAll('path.mesh').length")
    gaps = driver.execute_script("return document.querySelectorAll('path.mesh.gap').length")
    check(meshes > 0, f"the mesh layer is drawn ({meshes} cells, {gaps} gap cells)")
    mesh_query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.find_element(By.ID, "download-mesh-csv").get_attribute("href")).query)
    mesh_api = json.loads(api(base, "/v1/layers/meshes.geojson", {k: v[0] for k, v in mesh_query.items()}))
    api_gaps = sum(1 for f in mesh_api["features"] if f["properties"].get("gap") is True)
    check(gaps > 0 and gaps == api_gaps and meshes == len(mesh_api["features"]),
          f"gap cells highlighted for 訪問看護 tonight match /v1/layers ({gaps} of {meshes}; API {api_gaps} of {len(mesh_api['features'])})")
    driver.find_element(By.ID, "providers-toggle").click()
    wait(driver, 60).until(lambda d: d.execute_script("return document.querySelectorAll('.marker-cluster').length") > 0)
    kinds = driver.execute_script("return [...new Set([...document.querySelectorAll('.marker-cluster')].map(e => [...e.classList].find(c => c.startsWith('kind-'))))]")
    check(len(kinds) >= 2, f"providers are clustered by kind ({', '.join(k for k in kinds if k)})")
    credits = driver.find_element(By.ID, "credits").text
    check("国土数値情報" in credits and "介護サービス情報公表システム" in credits, "the data credits are shown")
    driver.save_screenshot(os.path.join(out, "planner.png"))

    # Uncovered 75+ tonight: the coverage indicator computed by the server.
    Select(driver.find_element(By.ID, "indicator")).select_by_value("uncovered_75_plus")
    wait(driver, 180).until(lambda d: "訪問が確保されていない" in d.find_element(By.ID, "planner-status").text)
    legend = driver.find_element(By.ID, "legend").text
    check("訪問が確保されていない75歳以上人口" in legend and "人" in legend, "the uncovered-75+ legend is shown")
    driver.save_screenshot(os.path.join(out, "planner-uncovered.png"))

    # The (ア)–(ク) progress as a map per item: 所沢市's (ア) is 実施中 this fiscal year (issue #21).
    Select(driver.find_element(By.ID, "indicator")).select_by_value("progress:a")
    wait(driver, 60).until(lambda d: "市区町村が記録" in d.find_element(By.ID, "planner-status").text)
    legend = driver.find_element(By.ID, "legend").text
    check("(ア)" in legend and "実施中" in legend and "未記録" in legend, "the progress legend names the item and the stages")
    fill = driver.execute_script("const p = document.querySelector('path.municipality[data-code=\"11208\"]'); return p && p.getAttribute('fill')")
    check(fill == "#74c476", f"所沢市 is drawn as 実施中 ({fill})")
    counts = driver.execute_script("return Chart.getChart('chart').data.datasets[0].data")
    labels = driver.execute_script("return Chart.getChart('chart').data.labels")
    check(counts[labels.index("実施中")] >= 1, f"the chart counts the municipalities at each stage ({dict(zip(labels, counts))})")
    check(not driver.find_element(By.ID, "year").is_enabled(), "the population year is set aside for progress")
    check(driver.find_element(By.ID, "chart-title").text.startswith("段階ごと"), "the chart's heading says it counts stages")
    driver.save_screenshot(os.path.join(out, "planner-progress.png"))
    return profile_url


def profile(driver, base, out, url):
    """The printable profile of 所沢市 (issue #21): figures now and in 2040 as the API has them, the
    trend chart, tonight's gaps, the (ア)–(ク) progress, the CSV, and one A4 page through print to PDF."""
    driver.get(url)
    wait(driver, 180).until(lambda d: d.find_element(By.ID, "profile").get_attribute("aria-busy") == "false")
    check(not driver.find_element(By.ID, "status").text, "the profile loads without an error" + driver.find_element(By.ID, "status").text)
    check("所沢市" in driver.find_element(By.ID, "title").text, "the profile names 所沢市")
    trend = json.loads(api(base, "/v1/trends/11208.json", {"service": "home_visit_medical"}))
    row = next(r for r in trend["rows"] if r["year"] == 2040 and r["level"] == "municipality")
    cells = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#now tr[data-indicator=population_65_plus] td")]
    check(row["kind"] == "projection" and row["values"]["population_65_plus"] == 116624 and cells[2] == "116,624 人",
          f"the profile's 2040 65+ is the projection's ({cells})")
    points = driver.execute_script("return Chart.getChart('trend-chart').data.datasets[0].data")
    years = sorted({r["year"] for r in trend["rows"] if r["level"] == "municipality"})
    check(len(points) == len(years) and points[years.index(2040)] == 116624, f"the trend chart has every year ({len(points)} points)")
    sets = driver.execute_script("return Chart.getChart('trend-chart').data.datasets.map(d => [d.label, d.data])")
    saitama = next((d for d in sets if d[0].startswith("埼玉県")), None)
    expected = next(r["values"]["ratio_65_plus"] for r in trend["rows"] if r["year"] == 2040 and r["level"] == "prefecture")
    check(saitama is not None and abs(saitama[1][years.index(2040)] - expected) < 1e-9 and any(d[0].startswith("西部") for d in sets),
          "the chart sets the 二次医療圏's and the prefecture's 高齢化率 beside the municipality's")
    gaps = driver.find_elements(By.CSS_SELECTOR, "#gaps tr[data-indicator]")
    check(len(gaps) == 3 and all("データなし" not in g.text for g in gaps[:2]), "tonight's gaps are compared with the areas: " + " / ".join(g.text for g in gaps))
    progress = driver.find_element(By.CSS_SELECTOR, "#progress tr[data-code]").text
    check("実施中 ↑" in progress, f"the (ア)–(ク) progress shows 所沢市's stage and its rise ({progress})")
    csv_text = api(base, "/v1/trends/11208.csv", {"service": "home_visit_medical"}).decode("utf-8")
    listed = [r for r in csv.DictReader(io.StringIO(csv_text)) if r["level"] == "municipality" and r["year"] == "2040"]
    check(driver.find_element(By.ID, "download-csv").get_attribute("href").endswith("/v1/trends/11208.csv?service=home_visit_medical")
          and listed and listed[0]["population_65_plus"] == "116624", "the trend CSV is linked and has 2040's figure")
    driver.save_screenshot(os.path.join(out, "profile.png"))
    # The browser's own print to PDF, with the page's @page size (A4): one sheet.
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    with open(os.path.join(out, "profile.pdf"), "wb") as f:
        f.write(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    check(pages == 1, f"the profile prints on one page ({pages})")


def tablet(base, out, downloads):
    driver = driver_for(820, 1180, downloads)
    try:
        open_page(driver, base)
        panel = driver.find_element(By.CSS_SELECTOR, ".panel").rect
        map_box = driver.find_element(By.ID, "map").rect
        check(map_box["y"] >= panel["y"] + panel["height"] - 2, "on a tablet the map sits below the panel")
        check(panel["width"] <= 820, "the panel fits the tablet's width")
        driver.save_screenshot(os.path.join(out, "tablet.png"))
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    downloads = os.path.join(out, "downloads")
    os.makedirs(downloads, exist_ok=True)
    driver = driver_for(1280, 800, downloads)
    try:
        coordinator(driver, args.base, out)
        profile_url = planner(driver, args.base, out, downloads)
        profile(driver, args.base, out, profile_url)
        errors = browser_errors(driver)
        check(not errors, "no errors in the browser console" + ("" if not errors else f": {errors[:3]}"))
    finally:
        driver.quit()
    tablet(args.base, out, downloads)
    print(f"screenshots: {out}")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
