"""The stand-up on a 1920×1080 screen in a real browser (Debian chromium driven by Playwright
against ``streamlit run app.py``, on a copy of the demo workspace): no scroll bar, no navigation,
refreshes by itself, comes back after a server restart; and the Friday pack's HTML opens in
Chromium with nothing loaded from elsewhere, and prints to PDF. (The Chinese board is checked
with AppTest in tests/test_standup.py.)"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]
REFRESH = 2  # seconds between automatic refreshes (?refresh=), instead of 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, OPSBOARD_DB=str(db))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=open(log, "a"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("streamlit did not start: " + log.read_text())


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def add_crowded_week(db: Path) -> None:
    """Five tasks due this week with long titles (one starting with '='), so the board is full."""
    from metrics.periods import week_of
    from store import connection, meetings
    con = connection.cursor(db)
    week = week_of(dt.date.today())
    owner = con.execute("SELECT min(person_id) FROM people").fetchall()[0][0]
    for i, title in enumerate(["=HYPERLINK(\"http://x\") publish the long-form case study on every account",
                               "<b>Not bold</b> and a rather long title that has to wrap onto a second line",
                               "Three more short videos", "Weekly event prize draw", "Reply to every comment"]):
        meetings.add_task(con, {"title": title, "owner_person_id": owner, "metric_id": "posts", "target": 10 + i,
                                "start_date": week.start, "due_date": week.end}, "test")
    con.execute("CHECKPOINT")
    connection.close(db)


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("standup")
    db = folder / "board.duckdb"
    shutil.copyfile(demo_template, db)
    add_crowded_week(db)
    port = free_port()
    state = {"proc": start_server(db, port, folder / "server.log"), "db": db, "port": port, "folder": folder}
    yield state
    stop_server(state["proc"])


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def wait_idle(page, timeout=60_000):
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)


SCROLLERS = """() => {
  const out = [];
  if (document.documentElement.scrollHeight > window.innerHeight
      || document.documentElement.scrollWidth > window.innerWidth) out.push('document');
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowY) || ['auto', 'scroll'].includes(style.overflowX);
    if (scrolls && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
      out.push(el.tagName + '.' + (el.getAttribute('data-testid') || el.className));
  }
  return out;
}"""


def updated_text(page) -> str:
    return page.locator(".sb-updated").inner_text()


def wait_for_refresh(page, before: str, timeout=30_000) -> None:
    page.wait_for_function("(before) => { const el = document.querySelector('.sb-updated');"
                           " return el && el.innerText !== before; }", arg=before, timeout=timeout)


def test_the_standup_fills_a_1080p_screen_refreshes_itself_and_survives_a_restart(server, browser, tmp_path):
    base = f"http://127.0.0.1:{server['port']}"
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{base}/?view=standup&refresh={REFRESH}")
    wait_idle(page, 120_000)
    page.wait_for_selector(".sb-updated")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text() == "Monday stand-up"
    # no navigation, no sidebar, no toolbar or header
    for test_id in ("stSidebar", "stSidebarNav", "stSidebarCollapsedControl"):
        assert page.get_by_test_id(test_id).count() == 0, test_id
    assert not page.get_by_test_id("stHeader").is_visible()
    assert page.get_by_test_id("stToolbar").count() == 0 or not page.get_by_test_id("stToolbar").is_visible()
    # no scroll bar anywhere, with every panel on the screen
    assert page.evaluate(SCROLLERS) == []
    for box in page.locator(".sb-card").all():
        rect = box.bounding_box()
        assert rect["y"] >= 0 and rect["y"] + rect["height"] <= 1080 and rect["x"] + rect["width"] <= 1920
    # large type: table rows at least 26 px, the key figures bigger still
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.sb-table td')).fontSize)") >= 26
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.sb-big')).fontSize)") >= 48
    board = page.locator(".sb").text_content()
    assert "Tasks due this week" in board and '=HYPERLINK("http://x")' in board and "<b>Not bold</b>" in board
    # goals scoped to a platform or an account name the platform as people write it
    assert "· Weibo" in board and "· WeChat / CityEats" in board and "· weibo" not in board
    # one automatic refresh: the "updated" time changes without any input
    before = updated_text(page)
    wait_for_refresh(page, before)
    assert page.evaluate(SCROLLERS) == []
    shot = tmp_path / "standup-1920x1080.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    # the server dies and is started again: the page reconnects by itself and keeps ticking, no reload
    server["proc"].kill()
    server["proc"].wait(timeout=20)
    server["proc"] = start_server(server["db"], server["port"], server["folder"] / "server.log")
    wait_for_refresh(page, updated_text(page), timeout=45_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Ultimate goal" in page.locator(".sb").text_content()
    page.close()


ZOOMED = "() => { const b = document.querySelector('.sb'); return b && parseFloat(getComputedStyle(b).zoom) < 1; }"
CLIPPED_CHIPS = """() => [...document.querySelectorAll('.sb-chip')].filter(chip => {
  const box = chip.closest('td, .sb-cap') || chip.parentElement;
  const c = chip.getBoundingClientRect(), b = box.getBoundingClientRect();
  return c.right > b.right + 0.5 || c.left < b.left - 0.5;
}).map(chip => chip.innerText)"""


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)])
def test_the_standup_fits_smaller_screens_without_cutting_anything_off(server, browser, width, height):
    """A 720p projector or a 1366-wide laptop on the shared screen: the board scales down as a
    whole, so no panel runs off the screen and no status chip is clipped by its column."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"http://127.0.0.1:{server['port']}/?view=standup")
    wait_idle(page, 120_000)
    page.wait_for_selector(".sb-updated")
    page.wait_for_function(ZOOMED, timeout=15_000)     # the board's own CSS has been applied
    assert page.evaluate(SCROLLERS) == []
    cards = page.locator(".sb-card").all()
    assert len(cards) == 5
    for box in cards:
        rect = box.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= width, rect
        assert rect["y"] >= 0 and rect["y"] + rect["height"] <= height, rect
    assert page.locator(".sb-chip").count() >= 5
    assert page.evaluate(CLIPPED_CHIPS) == []
    page.close()


def test_the_standup_inside_the_app_fits_its_column(server, browser):
    """Inside the app, with the menu open, the board fits the main column whole."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"http://127.0.0.1:{server['port']}/")
    wait_idle(page, 120_000)
    page.wait_for_selector(".sb-updated")
    page.wait_for_function(ZOOMED, timeout=15_000)
    board = page.locator(".st-key-standup_board").bounding_box()
    for box in page.locator(".sb-card").all():
        rect = box.bounding_box()
        assert rect["x"] >= board["x"] and rect["x"] + rect["width"] <= board["x"] + board["width"], rect
    assert page.evaluate(CLIPPED_CHIPS) == []
    page.close()


def test_on_a_phone_the_board_keeps_readable_type_and_scrolls_sideways(server, browser):
    """Below 900 px the board is not shrunk further (its type would be unreadable): it keeps
    half its full-screen size and scrolls sideways inside its own box, not the page."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"http://127.0.0.1:{server['port']}/")
    wait_idle(page, 120_000)
    page.wait_for_selector(".sb-updated")
    page.wait_for_function(ZOOMED, timeout=15_000)
    width = page.evaluate("document.querySelector('.sb').getBoundingClientRect().width")
    assert 880 <= width <= 920, width                        # 1,800 px of board at zoom 0.5
    box = ".st-key-standup_board [data-testid=stMarkdownContainer]"
    assert page.evaluate("(box) => { const b = document.querySelector(box);"
                         " return b.scrollWidth > b.clientWidth + 100; }", box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_the_review_pack_html_opens_in_chromium(server, browser, tmp_path):
    from metrics import review
    from reports import review_pack
    from store import connection
    copy = tmp_path / "pack.duckdb"
    shutil.copyfile(server["db"], copy)   # the server holds its file: read a copy
    con = connection.cursor(copy)
    try:
        pack = review.pack(con, review.default_week(dt.date.today()), dt.date.today())
    finally:
        connection.close(copy)
    report = tmp_path / "review.html"
    report.write_text(review_pack.html_report(pack, "en"), encoding="utf-8")
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    assert page.locator("h1").inner_text().startswith("Friday review")
    assert page.locator("svg").count() >= 1
    first = pack.kpis[~pack.kpis["manual"] & pack.kpis["value"].notna()].iloc[0].to_dict()
    cells = review_pack.kpi_cells(first, "en")
    row = page.locator("tr", has_text=first["kpi"]).first.inner_text()
    assert cells["value"] in row and cells["change"] in row       # the figures the view shows
    assert all(url.startswith("file://") for url in requests)
    pdf = review_pack.pdf(report.read_text(encoding="utf-8"))
    assert pdf is not None and pdf.startswith(b"%PDF")
    page.close()
