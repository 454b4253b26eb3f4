"""The Friday review: KPI figures with the change on the week before (hand-computed on the
crafted data of tests/meetings_data.py), notes saved per role and week, and the XLSX/HTML
exports matching the view with user text kept as text."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from metrics import review
from metrics.periods import Period
from reports import review_pack
from store import meetings
from tests import meetings_data as md
from tests.conftest import ROOT
from ui import labels

D = dt.date
W2 = Period(*md.W2, "week")
W3 = Period(*md.W3, "week")
APP = str(ROOT / "app.py")


@pytest.fixture
def team(con):
    md.build(con)
    return con


def _kpis(frame):
    return {row["kpi"]: row for row in frame.to_dict("records")}


def test_kpi_figures_and_change_on_the_week_before(team):
    kpis = _kpis(review.kpi_week(team, W2, md.TODAY))
    assert set(kpis) == {"Posts per week", "Forwards per post", "Comments"}   # Bo has no KPI set
    posts = kpis["Posts per week"]
    # W2 posts 7 × 3 = 21, W1 7 × 2 = 14 → +50 %; weekly target 14 → 21 ÷ 14 = 150 % → on track
    assert (posts["value"], posts["previous"], posts["days"]) == (21, 14, 7)
    assert posts["change"] == pytest.approx(0.5)
    assert posts["target_week"] == pytest.approx(14)
    assert posts["achievement"] == pytest.approx(1.5) and posts["status"] == "on_track"
    forwards = kpis["Forwards per post"]
    # W2 420 ÷ 21 = 20, W1 140 ÷ 14 = 10 → doubled (+100 %), shown as ×2.0; a ratio keeps its target 15
    assert forwards["value"] == pytest.approx(20) and forwards["previous"] == pytest.approx(10)
    assert forwards["change"] == pytest.approx(1.0)
    assert forwards["target_week"] == 15 and forwards["achievement"] == pytest.approx(20 / 15)
    comments = kpis["Comments"]
    # W2 7 × 6 = 42, W1 7 × 5 = 35 → +20 %; 310 a month ÷ 31 days × 7 = 70 → 42 ÷ 70 = 60 % → at risk
    assert (comments["value"], comments["previous"]) == (42, 35)
    assert comments["change"] == pytest.approx(0.2)
    assert comments["target_week"] == pytest.approx(70)
    assert comments["achievement"] == pytest.approx(0.6) and comments["status"] == "at_risk"


def test_a_week_in_progress_is_compared_like_for_like(team):
    # W3 on Friday 20 March: data up to the 18th → 3 days (16–18): 12 posts against 9–11 March: 9
    posts = _kpis(review.kpi_week(team, W3, md.TODAY))["Posts per week"]
    assert (posts["days"], posts["value"], posts["previous"]) == (3, 12, 9)
    assert posts["change"] == pytest.approx(12 / 9 - 1)
    assert posts["target_week"] == pytest.approx(14 * 3 / 7)     # 6 posts due in 3 days


def test_week_choices():
    assert review.default_week(D(2026, 3, 20)) == W3           # Friday: this week
    assert review.default_week(D(2026, 3, 18)) == W2           # Wednesday: the last complete week
    weeks = review.weeks(D(2026, 3, 20), 3)
    assert [w.start for w in weeks] == [D(2026, 3, 16), D(2026, 3, 9), D(2026, 3, 2)]
    assert review.week_target(310, "month", True, 7, 31) == pytest.approx(70)
    assert review.week_target(0.15, "month", False, 3, 31) == 0.15


def test_notes_are_saved_per_role_and_week(team):
    changed = meetings.save_notes(team, D(2026, 3, 11), [     # any day of the week: kept on its Monday
        {"owner_kind": "role", "owner_id": 1, "issues": "Forwards fell", "next_steps": "Two topics a day"},
        {"owner_kind": "team", "owner_id": 0, "issues": "=SUM(1,2)", "next_steps": ""},
        {"owner_kind": "role", "owner_id": 2, "issues": "", "next_steps": None}], "Lin")
    assert changed == 2
    notes = review.notes(team, W2).set_index(["owner_kind", "owner_id"])
    assert notes.loc[("role", 1), "issues"] == "Forwards fell"
    assert notes.loc[("team", 0), "issues"] == "=SUM(1,2)" and notes.loc[("team", 0), "updated_by"] == "Lin"
    assert review.notes(team, W3)["issues"].isna().all()        # another week has its own notes
    # unchanged texts write nothing; emptying both texts deletes the note
    assert meetings.save_notes(team, W2.start, [{"owner_kind": "role", "owner_id": 1, "issues": "Forwards fell",
                                                 "next_steps": "Two topics a day"}], "Lin") == 0
    assert meetings.save_notes(team, W2.start, [{"owner_kind": "role", "owner_id": 1, "issues": " ",
                                                 "next_steps": ""}], "Lin") == 1
    assert team.execute("SELECT count(*) FROM meeting_notes").fetchall()[0][0] == 1
    with pytest.raises(meetings.MeetingRefused):
        meetings.save_notes(team, W2.start, [{"owner_kind": "galaxy", "owner_id": 1, "issues": "x"}], "Lin")


@pytest.fixture
def pack(team):
    meetings.add_task(team, md.task(title="=HYPERLINK(\"http://evil.example\",\"click\")", target=120,
                                    note="+cmd|' /C calc'!A0"), "Lin")
    meetings.add_task(team, md.task(title="<b>Forwards</b>", metric_id="forwards_per_post", target=25), "Lin")
    meetings.save_notes(team, W2.start, [{"owner_kind": "role", "owner_id": 1, "issues": "=1+1",
                                          "next_steps": "@SUM(A1:A2)"}], "Lin")
    return review.pack(team, W2, md.TODAY)


def test_the_xlsx_export_matches_the_view_and_keeps_user_text_as_text(pack):
    book = openpyxl.load_workbook(io.BytesIO(review_pack.xlsx(pack, "en")))
    assert book.sheetnames == ["Summary", "KPIs", "Goals", "Tasks", "Notes"]
    kpis = list(book["KPIs"].iter_rows(values_only=True))
    header, rows = kpis[0], {r[2]: dict(zip(kpis[0], r)) for r in kpis[1:]}
    assert header[:3] == ("Role", "Person", "KPI")
    posts = rows["Posts per week"]
    assert (posts["This week"], posts["Week before"], posts["Change"], posts["Week's target"]) == (21, 14, 0.5, 14)
    assert posts["Achievement"] == pytest.approx(1.5) and posts["Status"] == "On track"
    assert rows["Comments"]["Week's target"] == pytest.approx(70)
    tasks = book["Tasks"]
    cells = {c.value: c for row in tasks.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    evil = cells['=HYPERLINK("http://evil.example","click")']
    assert evil.data_type == "s" and evil.hyperlink is None                  # text, not a formula or link
    assert cells["+cmd|' /C calc'!A0"].data_type == "s"
    statuses = [r[8] for r in tasks.iter_rows(min_row=2, values_only=True)]
    results = [r[7] for r in tasks.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["Met", "Missed"] and results == [140, pytest.approx(20)]
    notes = {r[0]: r for r in book["Notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["Promotion manager"][1:3] == ("=1+1", "@SUM(A1:A2)")
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
    # the Chinese workbook has Chinese sheet names and headers, same figures
    book_zh = openpyxl.load_workbook(io.BytesIO(review_pack.xlsx(pack, "zh")))
    assert book_zh.sheetnames == ["概览", "考核指标", "目标", "任务", "备注"]
    assert list(book_zh["考核指标"].iter_rows(values_only=True))[1][5] == 21


def test_the_html_report_is_self_contained_escaped_and_matches_the_view(pack):
    page = review_pack.html_report(pack, "en")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert not re.search(r"<script|<link|src=|@import|url\(", page, re.I)   # nothing loaded from elsewhere
    assert "&lt;b&gt;Forwards&lt;/b&gt;" in page and "<b>Forwards</b>" not in page
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)" in page
    # the same texts the view shows: +50.0 % posts, forwards ×2.0, comments +20.0 %, target 70
    cells = review_pack.kpi_cells(_kpis(pack.kpis)["Posts per week"], "en")
    assert cells == {"value": "21", "previous": "14", "change": "+50.0 %", "target": "14", "achievement": "150.0 %",
                     "status": "On track"}
    for text in ("+50.0 %", "×2.0", "+20.0 %", "150.0 %", "60.0 %", "Promotion manager", "=1+1"):
        assert text in page
    zh = review_pack.html_report(pack, "zh")
    assert '<html lang="zh-CN">' in zh and "+50.0%" in zh and "周五总结" in zh
    # the KPI's scope in the report's language: the platform by name
    assert "Weibo: W" in page and "微博: W" in zh and "weibo: W" not in zh


def test_every_label_the_reports_and_stores_use_is_in_both_languages():
    used = set()
    for path in ("reports/review_pack.py", "store/meetings.py", "ui/access.py", "ui/standup_board.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        used |= set(re.findall(r"""["']((?:review|tasks|meetings|standup|access)\.[a-z_.]+[a-z])["']""", text))
    used -= {"access.editor", "access.form", "review.html", "review.pdf"}   # session/form keys and file names
    catalogue = labels.catalogue()
    assert sorted(k for k in used if k not in catalogue) == []
    for key in catalogue:
        if key.split(".")[0] in ("review", "tasks", "meetings", "standup", "access"):
            assert catalogue[key]["en"].strip() and catalogue[key]["zh"].strip(), key


def test_the_review_page_on_the_demo_in_chinese(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/review.py").run()
    assert not at.exception
    assert at.title[0].value == "周五总结"
    assert [tab.label for tab in at.tabs] == ["人员与考核指标", "目标", "任务", "岗位备注"]
    roles = len(at.subheader)
    assert roles >= 2 and len(at.dataframe) == roles    # one KPI table per role; the other tabs do not run
    assert not any(k.startswith("review.notes_form") for k in _form_keys(at))
    assert "周" in at.selectbox(key="review.week").format_func(at.selectbox(key="review.week").value)
    _tab(at, "目标")
    assert not at.exception and len(at.dataframe) == 1 and at.get("vega_lite_chart")
    _tab(at, "任务")
    assert not at.exception and at.subheader[0].value == "本周到期"
    _tab(at, "岗位备注")
    assert not at.exception
    assert any(k.startswith("review.notes_form") for k in _form_keys(at))


def _tab(at, label: str):
    """Open one of the page's tabs (only the open tab runs)."""
    at.session_state["review.tab"] = label
    return at.run()


def _form_keys(at) -> list[str]:
    return [b.form_id for b in at.button if b.form_id]


def test_notes_save_through_the_page(db_path):
    from store import connection
    con = connection.cursor(db_path)
    md.build(con)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["today"] = md.TODAY.isoformat()
    at.run()
    at.switch_page("pages/review.py").run()
    at.selectbox(key="review.week").set_value(W2.start).run()
    _tab(at, "Notes per role")
    at.text_area(key=f"review.issues.role.1.{W2.start}.0").input("=Forwards fell; two topics a day")
    at.text_area(key=f"review.next.team.0.{W2.start}.0").input("Move budget to own groups")
    at.text_input(key="review.notes_who.0").input("Lin")
    at.button(key=f"FormSubmitter:review.notes_form.{W2.start}.0-Save the notes").click().run()
    assert not at.exception
    rows = con.execute("SELECT week_start, owner_kind, owner_id, issues, next_steps, updated_by FROM meeting_notes "
                       "ORDER BY owner_kind, owner_id").fetchall()
    assert rows == [(W2.start, "role", 1, "=Forwards fell; two topics a day", None, "Lin"),
                    (W2.start, "team", 0, None, "Move budget to own groups", "Lin")]
    assert any("Notes saved (2 changed)." in s.value for s in at.success)
    # the saved texts come back in the (new) form
    assert at.text_area(key=f"review.issues.role.1.{W2.start}.1").value == "=Forwards fell; two topics a day"


def test_the_review_page_on_an_empty_workspace(db_path):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("pages/review.py").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["No people with KPI sets yet: add them in Plan → Team and KPIs."]
    assert [i.value for i in _tab(at, "Goals").info] == ["No goal runs in this week."]
    from store import connection
    empty = review.pack(connection.cursor(db_path), review.default_week(D.today()), D.today())
    assert review_pack.xlsx(empty, "en")[:2] == b"PK" and "<h1>" in review_pack.html_report(empty, "zh")


def test_a_long_role_table_is_paged_and_the_pages_hold_every_row(db_path, monkeypatch):
    from store import connection
    from ui import review_charts
    md.build(connection.cursor(db_path))
    monkeypatch.setattr(review_charts, "KPI_PAGE_ROWS", 2)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["today"] = md.TODAY.isoformat()
    at.run()
    at.switch_page("pages/review.py").run()
    at.selectbox(key="review.week").set_value(W2.start).run()
    assert not at.exception
    first = at.dataframe[0].value
    assert list(first["KPI"]) == ["Posts per week", "Forwards per post"]
    assert any("Showing rows 1–2 of 3" in c.value for c in at.caption)
    at.number_input(key="review.kpi_page.0").set_value(2).run()
    assert list(at.dataframe[0].value["KPI"]) == ["Comments"]
    assert any("Showing rows 3–3 of 3" in c.value for c in at.caption)
