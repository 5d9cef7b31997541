"""The Dagster UI as a person uses it: `dg dev` (webserver and daemon) on 127.0.0.1, in headless
Chromium: "Materialize all" on the lineage page launches at once and the run lands the tables, the
articles table shows its columns, its checks say they block; screenshots kept in artifacts/ui/."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from pipeline.warehouse import snapshot_path_for

from .newsroom import HARBOR_LIGHTS, news_page, write

PROJECT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT / "artifacts" / "ui"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER):
    # `make test` installs Debian's chromium and chromium-driver: under CI a missing browser is a failure.
    if os.environ.get("CI"):
        raise RuntimeError("the browser test needs Debian's chromium and chromium-driver; `make test` installs them")
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)

LATEST_RUNS = "query { runsOrError(limit: 5) { __typename ... on Runs { results { runId jobName status tags { key value } } } } }"
LOCATION_STATUS = """
query { workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
RUN_STATUS = "query Status($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    # Its own session: a server started from a script ignores SIGINT, so it is stopped by process group.
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def dagster_ui(tmp_path):
    home = tmp_path / "dagster_home"
    landing = tmp_path / "landing"
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    db = tmp_path / "warehouse" / "film_news.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home), "FILM_NEWS_DB": str(db), "FILM_NEWS_LANDING": str(landing),
           "VIRTUAL_ENV": str(Path(sys.executable).parent.parent)}
    port = free_port()
    # What `make ui` does first: the project's instance settings, and its storage created once, before
    # three processes (webserver, its code server, the daemon) race to create it in an empty DAGSTER_HOME.
    subprocess.run([sys.executable, "-m", "pipeline.instance"], env=env, check=True, timeout=120)
    # What `make ui` runs: the webserver and the daemon, the project found from pyproject.toml.
    server = start([str(Path(sys.executable).parent / "dg"), "dev", "--host", "127.0.0.1", "--port", str(port)],
                   env, tmp_path / "dg_dev.log")
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("dg dev did not start:\n" + (tmp_path / "dg_dev.log").read_text()[-3000:])
                time.sleep(1)
        wait_for_code_location(port, tmp_path / "dg_dev.log")
        yield port, db, tmp_path
    finally:
        stop(server)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1600,1000", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_code_location(port: int, log: Path, timeout: float = 300) -> None:
    """The webserver answers before its code server has imported the project (spaCy and all):
    on a busy machine that takes a while, so the page is opened only once the location is loaded."""
    deadline = time.monotonic() + timeout
    while True:
        entries = graphql(port, LOCATION_STATUS, {})["workspaceOrError"].get("locationEntries", [])
        entry = next((e for e in entries if e["name"] == "film_news"), None)
        if entry and entry["loadStatus"] == "LOADED":
            error = entry["locationOrLoadError"]
            if error and error["__typename"] == "PythonError":
                raise RuntimeError(f"the code location failed to load: {error['message']}")
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the code location did not load in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(2)


def dismiss_dialogs(driver) -> None:
    """The first visit shows a "Join the Dagster community" dialog that blocks clicks."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    for label in ("Skip", "Dismiss", "No thanks", "Not now", "Close", "Got it"):
        for button in driver.find_elements(By.XPATH, f"//button[normalize-space()='{label}']"):
            if button.is_displayed():
                button.click()
                time.sleep(0.5)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)


def wait_for_text(driver, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in driver.page_source:
        if time.monotonic() > deadline:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / "failure.png"))
            raise AssertionError(f"{text!r} never appeared on {driver.current_url} (screenshot: artifacts/ui/failure.png)")
        time.sleep(1)


def click_button(driver, label: str) -> None:
    from selenium.webdriver.common.by import By

    buttons = [b for b in driver.find_elements(By.XPATH, f"//button[normalize-space()='{label}']") if b.is_displayed()]
    assert buttons, f"no {label!r} button on {driver.current_url}"
    buttons[0].click()


def test_materialize_all_from_the_lineage_page_then_columns_and_blocking_checks(dagster_ui, browser):
    port, db, tmp_path = dagster_ui
    base = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    browser.get(f"{base}/asset-groups")
    wait_for_text(browser, "Materialize all")
    time.sleep(2)
    dismiss_dialogs(browser)
    wait_for_text(browser, "ingest")
    browser.save_screenshot(str(ARTIFACTS / "asset_graph.png"))
    # No partition anywhere upstream: the click launches the run at once, with no dialog to fill in.
    click_button(browser, "Materialize all")
    wait_for_text(browser, "Launched run", timeout=60)
    assert not browser.find_elements("css selector", "[role=dialog]"), "a dialog opened instead of a run"
    browser.save_screenshot(str(ARTIFACTS / "materialize_all_launched.png"))

    runs = graphql(port, LATEST_RUNS, {})["runsOrError"]["results"]
    assert len(runs) == 1, runs
    run_id = runs[0]["runId"]
    deadline, status = time.monotonic() + 300, None
    while time.monotonic() < deadline:
        status = graphql(port, RUN_STATUS, {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS", f"run ended {status}; log:\n{(tmp_path / 'dg_dev.log').read_text()[-3000:]}"

    browser.get(f"{base}/runs/{run_id}")
    wait_for_text(browser, "Success")
    dismiss_dialogs(browser)
    browser.save_screenshot(str(ARTIFACTS / "run_success.png"))

    # The articles table's columns, from its Pandera schema, in the asset's Columns section.
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/assets/articles")
    wait_for_text(browser, "Columns")
    wait_for_text(browser, "Filter columns")
    columns = browser.find_element(By.XPATH, "//input[@placeholder='Filter columns']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", columns)
    for column in ("article_id", "published_date", "duplicate_of", "italic_spans"):
        assert column in browser.page_source
    assert "film_news.main.articles" in browser.page_source
    browser.save_screenshot(str(ARTIFACTS / "articles_columns.png"))

    browser.get(f"{base}/assets/articles?view=checks")
    wait_for_text(browser, "articles_match_schema")
    wait_for_text(browser, "blocking")
    browser.save_screenshot(str(ARTIFACTS / "articles_blocking_checks.png"))

    con = duckdb.connect(str(snapshot_path_for(db)), read_only=True)
    try:
        assert con.execute("select title from articles").fetchall() == [("Harbor Lights Sets March Start",)]
        assert con.execute("select count(*) from entities where name = 'Celia Brandt'").fetchall() == [(1,)]
        assert con.execute("select count(*) from title_mentions_daily").fetchall()[0][0] >= 1
    finally:
        con.close()


def test_the_week_report_opens_offline_in_the_browser(browser, landing, db_path, tmp_path):
    from selenium.webdriver.common.by import By

    from .harness import write_report

    write_report(landing, db_path, tmp_path)
    browser.get((tmp_path / "week.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Film news, week of 16 November 2026"
    title_rows = browser.find_elements(By.CSS_SELECTOR, "h2#titles + table tbody tr")
    assert any("Salt and Ember" in row.text for row in title_rows)
    # The trend line is drawn: a polyline with a width and a height on the page.
    line = browser.find_element(By.CSS_SELECTOR, "h2#titles + table svg.trend polyline")
    assert line.size["width"] > 50 and line.size["height"] > 5
    quotes = browser.find_elements(By.CSS_SELECTOR, "h2#quotes + table tbody tr")
    assert quotes and "Owen Hale" in browser.find_element(By.CSS_SELECTOR, "h2#quotes + table").text
    # Self-contained: the page asked for no resource at all.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "week_report.png"))
