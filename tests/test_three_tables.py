"""The three-tables workbook: opens with openpyxl, texts starting with '=' stay text, figures
match the appraisal and the budget (scenario in tests/appraisal_data.py)."""
import io

import openpyxl
import pytest

import appraisal_data as data
from reports import three_tables
from store import plan_team

FORMULA_TITLE = '=HYPERLINK("http://example.com","click")'


def _rows(ws):
    return [[c for c in row] for row in ws.iter_rows()]


def _find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not in sheet {ws.title}")


def _row_of(ws, first_value):
    cell = _find(ws, first_value)
    return [c.value for c in ws[cell.row]]


def _build(con):
    ids = data.build(con)
    # a budget line and a spend row whose names start with '=' (and one with '+')
    con.execute("""INSERT INTO budget_lines (line_id, phase_id, item, category, channel, amount, importance,
                                             expected_followers)
                   VALUES (1, 2, '=SUM(A1:A9)', 'placements', NULL, 3000, 'important', 100),
                          (2, 2, 'Coupons', 'coupons', NULL, 1000, 'optional', NULL)""")
    con.execute("""INSERT INTO spend (source, date, budget_line, channel, amount, import_id) VALUES
                   ('ledger', DATE '2026-03-05', '=SUM(A1:A9)', '(none)', 1200, 9),
                   ('ledger', DATE '2026-03-20', 'Coupons', '(none)', 250, 9),
                   ('ledger', DATE '2026-04-20', 'Coupons', '(none)', 999, 9)""")
    plan_team.save_roles(con, [
        {"role_id": ids["roles"]["promotion_manager"], "code": "promotion_manager", "name": FORMULA_TITLE,
         "needed_from_phase": "initial", "responsibilities": "+cmd|' /C calc'!A0", "requirements": "@SUM(1,2)"},
        {"role_id": ids["roles"]["copywriter"], "code": "copywriter", "name": "Copywriter",
         "needed_from_phase": "initial"}])
    return ids


def test_workbook_opens_and_keeps_formula_like_text_as_text(con):
    _build(con)
    book = openpyxl.load_workbook(io.BytesIO(three_tables.workbook(con, data.MARCH, data.TODAY, "en")))
    assert book.sheetnames == ["Budget", "Appraisal", "Job descriptions"]
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"live formula in {ws.title}!{cell.coordinate}: {cell.value}"
    line = _find(book["Budget"], "=SUM(A1:A9)")
    assert line.data_type == "s"
    role = _find(book["Job descriptions"], FORMULA_TITLE)
    assert role.data_type == "s"
    assert _find(book["Job descriptions"], "+cmd|' /C calc'!A0").data_type == "s"
    assert _find(book["Appraisal"], FORMULA_TITLE).data_type == "s"   # the role column of the team table


def test_appraisal_sheet_matches_the_scores(con):
    _build(con)
    ws = openpyxl.load_workbook(io.BytesIO(three_tables.workbook(con, data.MARCH, data.TODAY, "en")))["Appraisal"]
    assert ws["A1"].value == "Appraisal 2026-03"
    team_row = _row_of(ws, "Ana")
    # person, role, score, bonus base, bonus, last month, change, KPIs without data
    assert team_row[2] == pytest.approx(95.7)
    assert team_row[3] == 2000 and team_row[4] == pytest.approx(1914.0)
    kpis = {r[2].value: [c.value for c in r] for r in ws.iter_rows() if r[0].value == "Ana" and r[2].value}
    # person, role, KPI, metric, scope, target, actual, achievement, points, weight, weight used, contribution
    assert kpis["Net follows"][5:12] == [1000, 930, pytest.approx(0.93), pytest.approx(93.0), 0.4, 0.4,
                                         pytest.approx(37.2)]
    assert kpis["Forwards per post"][6] == pytest.approx(10.5)
    assert kpis["Enquiries"][6] == 45
    assert "manual entry #2" in kpis["Enquiries"][14]
    assert "weibo_a1.xlsx" in kpis["Net follows"][14]
    assert kpis["Score"][11] == pytest.approx(95.7)


def test_budget_sheet_figures(con):
    _build(con)
    ws = openpyxl.load_workbook(io.BytesIO(three_tables.workbook(con, data.MARCH, data.TODAY, "en")))["Budget"]
    # phase, line, category, channel, importance, planned, spent, remaining, share spent
    row = _row_of(ws, "Initial users")
    line = [c.value for c in ws[_find(ws, "=SUM(A1:A9)").row]]
    assert line[5:9] == [3000, 1200, 1800, pytest.approx(0.4)]   # spent to 31 March: 1,200 of 3,000
    coupons = [c.value for c in ws[_find(ws, "Coupons").row]]
    assert coupons[5:8] == [1000, 250, 750]                      # the April spend is after the month
    assert row[0] == "Initial users"
    total = [c.value for c in ws[_find(ws, "Total Initial users").row]]
    assert total[5:8] == [4000, 1450, 2550]


def test_workbook_in_chinese_and_on_an_empty_store(con):
    book = openpyxl.load_workbook(io.BytesIO(three_tables.workbook(con, data.MARCH, data.TODAY, "zh")))
    assert book.sheetnames == ["财务预算表", "绩效考核表", "岗位描述表"]
    assert book["绩效考核表"]["A4"].value == "暂无内容。"   # title, note, blank line, then the text


def test_budget_sheet_without_budget_lines_uses_the_ledger(con):
    data.build(con)
    con.execute("""INSERT INTO spend (source, date, budget_line, channel, amount, import_id) VALUES
                   ('ledger', DATE '2026-03-05', 'Red packets', '(none)', 500, 9),
                   ('ledger', DATE '2026-03-06', 'Red packets', '(none)', 300, 9)""")
    ws = openpyxl.load_workbook(io.BytesIO(three_tables.workbook(con, data.MARCH, data.TODAY, "en")))["Budget"]
    assert [c.value for c in ws[_find(ws, "Red packets").row]][:2] == ["Red packets", 800]
