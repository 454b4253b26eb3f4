"""End-to-end smoke test in a real browser: Debian chromium driven by Playwright against
``streamlit run app.py`` on a free port, with a fresh store (so the demo workspace loads)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from ui.navigation import PAGES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = dict(os.environ, OPSBOARD_DB=str(folder / "board.duckdb"))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=open(folder / "server.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (folder / "server.log").read_text())
    yield base, folder
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield pg
        browser.close()


def wait_idle(page, timeout=60_000):
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)


def upload_file() -> tuple[str, bytes]:
    """A real sample when the samples folder is there, else the project's own file in the same layout."""
    sample = SAMPLES / "tiktok" / "tiktok_studio_overview_daily_7d.csv"
    if sample.exists():
        return sample.name, sample.read_bytes()
    return "Overview.csv", ('\ufeff"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
                            '"April 12","1591","7","10","1","0"\n"April 13","1154","1","5","0","0"').encode("utf-8")


def test_every_page_renders_and_an_upload_imports(server, page):
    base, _ = server
    # A deep link as the very first request of a fresh server is routed by app.py (its menu
    # titles and language switch are there), not run as a bare file of the pages/ folder.
    page.goto(base + "/budget")
    wait_idle(page, 120_000)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Friday review").wait_for(timeout=30_000)
    # The menu arrives before the sidebar's widgets: the first run still builds the demo
    # workspace after st.navigation, so wait for the language switch rather than count it.
    page.get_by_text("Language").first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    for spec in PAGES:
        page.goto(f"{base}/{spec.url_path}" if spec is not PAGES[0] else base + "/")
        page.locator("h1").first.wait_for(timeout=60_000)
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, spec.path
    page.goto(base + "/upload")
    wait_idle(page)
    name, data = upload_file()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": data}])
    wait_idle(page)
    page.get_by_role("button", name="Import 1 file(s)").click()
    wait_idle(page)
    page.get_by_text("1 imported, 0 unchanged, 0 rejected").first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_tabs_that_run_only_when_opened_open_in_the_browser(server, page):
    base, _ = server
    page.goto(base + "/review")
    page.locator("h1").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("button", name="Save the notes").count() == 0     # the notes tab has not run
    page.get_by_role("tab", name="Notes per role").click()
    page.get_by_role("button", name="Save the notes").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.goto(base + "/appraisal")
    page.locator("h1").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("tab", name="Lock and log").click()
    page.get_by_role("button", name="Lock the month").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
