"""Budget plan writes: the one-transaction save, the template import with row/column errors,
the template builders and the demo seed."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from store import demo_budget, demo_spec, plan_budget
from store.connection import data_version

D = dt.date


@pytest.fixture
def plan(con):
    con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, budget) VALUES
                   (1, 'seed', 'Seed users', '2026-01-01', '2026-01-30', 20000),
                   (2, 'initial', 'Initial users', '2026-01-31', '2026-04-30', 150000)""")
    con.execute("""INSERT INTO channels (channel, kind, active) VALUES ('Weibo drive', 'weibo_drive', true),
                   ('Own official groups', 'own_groups', true)""")
    return con


def lines(con, phase_id):
    return con.execute("""SELECT item, category, channel, amount, importance, expected_followers
                          FROM budget_lines WHERE phase_id = ? ORDER BY item""", [phase_id]).fetchall()


CHANNELS = pd.DataFrame({"channel": ["Weibo drive", "Own official groups"], "kind": ["weibo_drive", "own_groups"],
                         "description": [None, None], "active": [True, True]})


def test_save_plan_writes_channels_and_lines_in_one_go(plan):
    before = data_version(plan)
    edited = pd.DataFrame({"item": ["Weibo drive placements", "Red packets", None],
                           "category": ["placements", "red_packets", None],
                           "channel": ["Weibo drive", None, None], "amount": [3000.0, 1500.0, None],
                           "importance": ["important", "optional", None],
                           "expected_followers": [1000, None, None], "note": [None, "groups", None]})
    counts = plan_budget.save_plan(plan, 1, edited, CHANNELS)
    assert counts == {"channels": 2, "lines": 2}                     # the blank added row is ignored
    assert lines(plan, 1) == [("Red packets", "red_packets", None, 1500.0, "optional", None),
                              ("Weibo drive placements", "placements", "Weibo drive", 3000.0, "important", 1000)]
    assert data_version(plan) == before + 1


def test_save_plan_rejects_every_problem_and_changes_nothing(plan):
    plan_budget.save_plan(plan, 1, pd.DataFrame({"item": ["Ads"], "category": ["placements"], "channel": [None],
                                                  "amount": [100.0], "importance": ["important"]}), CHANNELS)
    before = data_version(plan)
    bad = pd.DataFrame({"item": ["Ads", "Ads", None, "Booth"],
                        "category": ["placements", "placements", "prizes", "parties"],
                        "channel": ["Nowhere", None, None, None], "amount": [-5.0, 10.0, 10.0, 10.0],
                        "importance": ["important", "important", "important", "maybe"]})
    with pytest.raises(plan_budget.PlanError) as err:
        plan_budget.save_plan(plan, 1, bad, CHANNELS)
    assert err.value.problems == [
        "budget line row 1, column channel: 'Nowhere' is not in the channel list "
        "(add it under Channels first, or leave the cell empty)",
        "budget line row 1, column amount: -5.0 is negative",
        "budget line row 3, column item: a budget line needs a name",
        "budget line row 4, column category: 'parties' is not one of placements, prizes, coupons, red_packets, "
        "events, tools, salaries, other",
        "budget line row 4, column importance: 'maybe' is not 'important' or 'optional'",
    ]
    assert lines(plan, 1) == [("Ads", "placements", None, 100.0, "important", None)]
    assert data_version(plan) == before


def test_duplicate_line_name_in_a_phase_is_refused(plan):
    dup = pd.DataFrame({"item": ["Ads", "Ads"], "category": ["placements", "prizes"], "channel": [None, None],
                        "amount": [1.0, 2.0], "importance": ["important", "important"]})
    with pytest.raises(plan_budget.PlanError, match="'Ads' is listed twice in this phase"):
        plan_budget.save_plan(plan, 1, dup, CHANNELS)


def test_channel_used_by_another_phase_cannot_be_removed(plan):
    plan_budget.save_plan(plan, 2, pd.DataFrame({"item": ["Weibo"], "category": ["placements"],
                                                  "channel": ["Weibo drive"], "amount": [1.0],
                                                  "importance": ["important"]}), CHANNELS)
    fewer = CHANNELS[CHANNELS["channel"] != "Weibo drive"]
    with pytest.raises(plan_budget.PlanError) as err:
        plan_budget.save_plan(plan, 1, pd.DataFrame(columns=list(plan_budget.LINE_COLUMNS)), fewer)
    assert err.value.problems == ["channel 'Weibo drive' cannot be removed: budget line 'Weibo' of phase "
                                  "'Initial users' uses it"]
    renamed = CHANNELS.assign(channel=["Weibo drive", "Official groups"])   # renaming an unused one is fine
    plan_budget.save_plan(plan, 1, None, renamed)
    assert [r[0] for r in plan.execute("SELECT channel FROM channels ORDER BY 1").fetchall()] == \
        ["Official groups", "Weibo drive"]


def test_channel_list_validation(plan):
    bad = pd.DataFrame({"channel": ["A", "A", None], "kind": ["offline", "pr", "zoo"],
                        "description": [None, None, "x"], "active": [True, True, True]})
    with pytest.raises(plan_budget.PlanError) as err:
        plan_budget.save_plan(plan, None, None, bad)
    assert err.value.problems == ["channel row 2, column channel: 'A' is listed twice",
                                  "channel row 3, column channel: a channel needs a name"]


# ------------------------------------------------------------------ template import

CSV_OK = """Budget plan 2026 (title row)
阶段,项目,类别,渠道,金额,重要性,预期新增粉丝,备注
seed,Weibo drive placements,投放,Weibo drive,"¥3,000",重要,1000,
Initial users,Red packets,红包,,1.2万,可选,,groups
"""


def test_import_csv_with_title_row_chinese_headers_and_units(plan):
    result = plan_budget.import_lines(plan, CSV_OK.encode("utf-8"), "budget.csv")
    assert result.errors == []
    assert (result.rows, result.inserted, result.updated) == (2, 2, 0)
    assert lines(plan, 1) == [("Weibo drive placements", "placements", "Weibo drive", 3000.0, "important", 1000)]
    assert lines(plan, 2) == [("Red packets", "red_packets", None, 12000.0, "optional", None)]
    again = plan_budget.import_lines(plan, CSV_OK.replace("1.2万", "13000").encode("gb18030"), "budget.csv")
    assert (again.inserted, again.updated) == (0, 2)                   # same phase and item: replaced
    assert lines(plan, 2)[0][3] == 13000.0


def test_import_rejects_the_whole_file_naming_row_and_column(plan):
    data = ("phase,item,category,channel,amount,importance\n"
            "seed,Ads,placements,,3000,important\n"
            "brand,Prizes,prizes,,100,important\n"
            "seed,Coupons,vouchers,Nowhere,3k,important\n"
            "seed,Ads,placements,,10,important\n").encode("utf-8")
    result = plan_budget.import_lines(plan, data, "lines.csv")
    assert result.errors == [
        "lines.csv: rejected, nothing was imported",
        "row 3, column phase: 'brand' is not a phase (use a phase code or name from the Plan view)",
        "row 4, column category: 'vouchers' is not one of placements, prizes, coupons, red_packets, events, "
        "tools, salaries, other",
        "row 4, column channel: 'Nowhere' is not in the channel list (add it under Channels first, "
        "or leave the cell empty)",
        "row 4, column amount: '3k' is not a number",
        "row 5, column item: 'Ads' is already on row 2 for the same phase",
    ]
    assert plan.execute("SELECT count(*) FROM budget_lines").fetchall() == [(0,)]


def test_import_names_the_files_own_header_in_errors(plan):
    data = "阶段,项目,类别,金额\nseed,Ads,投放,三千\n".encode("utf-8")
    result = plan_budget.import_lines(plan, data, "预算.csv")
    assert result.errors[1:] == ["row 2, column 金额: '三千' is not a number"]


def test_import_without_the_needed_columns(plan):
    result = plan_budget.import_lines(plan, b"name,cost\nAds,3\n", "x.csv")
    assert result.errors == ["x.csv: no header row with at least the columns 'item' and 'amount' in the first "
                             "20 rows (expected: phase, item, category, channel, amount, importance, "
                             "expected_followers, note)"]


def test_template_round_trip_through_xlsx(plan):
    plan_budget.import_lines(plan, CSV_OK.encode("utf-8"), "budget.csv")
    book = plan_budget.template_xlsx(plan)
    sheets = pd.read_excel(io.BytesIO(book), sheet_name=None, engine="calamine")
    assert list(sheets) == ["budget_lines", "allowed values"]
    assert list(sheets["budget_lines"].columns) == list(plan_budget.TEMPLATE_COLUMNS)
    assert sheets["budget_lines"]["phase"].tolist() == ["seed", "initial"]
    assert "red_packets" in sheets["allowed values"]["category"].tolist()
    result = plan_budget.import_lines(plan, book, "budget_lines.xlsx")
    assert (result.errors, result.inserted, result.updated) == ([], 0, 2)
    assert lines(plan, 2) == [("Red packets", "red_packets", None, 12000.0, "optional", None)]


def test_template_csv_has_bom_header_and_escapes_formulas(plan):
    plan_budget.import_lines(plan, "phase,item,category,amount\nseed,=HYPERLINK(1),tools,5\n".encode(), "a.csv")
    text = plan_budget.template_csv(plan).decode("utf-8")
    assert text.startswith("\ufeffphase,item,category,channel,amount,importance,expected_followers,note\r\n")
    assert "seed,'=HYPERLINK(1),tools,,5,important,," in text


def test_refuses_a_zip_bomb_before_reading(plan):
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)     # 5 MB of zeros: ratio ≫ 100
    result = plan_budget.import_lines(plan, buf.getvalue(), "bomb.xlsx")
    assert result.errors == ["bomb.xlsx: cannot be read (the workbook unpacks to an absurd size and was "
                             "refused before reading)"]


def test_parse_amount():
    assert plan_budget.parse_amount("¥3,000.50") == 3000.5
    assert plan_budget.parse_amount("1.5万") == 15000
    assert plan_budget.parse_amount("3000元") == 3000
    assert plan_budget.parse_amount(" - ") is None
    with pytest.raises(ValueError):
        plan_budget.parse_amount("3k")


# ------------------------------------------------------------------ demo seed

LEDGER_NAMES = {"Soft articles on local accounts", "Weekly event prizes", "Red packets", "Coupons",
                "Offline promotion", "Conference booth", "Tools", "Salaries", "Weibo drive placements",
                "KOL placements"}


def test_demo_seed_lines_add_up_to_each_phase_budget(con):
    today = D(2026, 11, 18)
    for i, (code, name, start, end, target, amount) in enumerate(demo_spec.phase_dates(today), start=1):
        con.execute("""INSERT INTO phases (phase_id, code, name, start_date, end_date, follower_target, budget)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""", [i, code, name, start, end, target, amount])
    for channel, kind in demo_spec.CHANNELS:
        con.execute("INSERT INTO channels (channel, kind, active) VALUES (?, ?, TRUE)", [channel, kind])
    demo_budget.seed(con, today)
    totals = dict(con.execute("""SELECT p.code, sum(b.amount) FROM budget_lines b JOIN phases p USING (phase_id)
                                 GROUP BY p.code""").fetchall())
    assert totals == {"seed": 20_000.0, "initial": 150_000.0, "brand": 300_000.0}   # demo_spec budgets
    items = {r[0] for r in con.execute("SELECT DISTINCT item FROM budget_lines").fetchall()}
    assert items <= LEDGER_NAMES
    unknown = con.execute("""SELECT count(*) FROM budget_lines WHERE channel IS NOT NULL
                             AND channel NOT IN (SELECT channel FROM channels)""").fetchall()[0][0]
    assert unknown == 0
