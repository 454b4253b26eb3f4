"""Import semantics: overlap, same file twice, newest import wins per figure, undo, duplicates, 全部."""
from __future__ import annotations

import datetime as dt

import pytest

from store import connection, importer

HEADER = "<tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"


def user_growth(path, rows):
    """WeChat 用户增长 as the back-end writes it: an HTML table saved as .xls, title row first."""
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    path.write_text(f"<html><body><table><tr><th>用户增长</th></tr>{HEADER}{body}</table></body></html>", "utf-8")
    return path


def daily(con, day):
    return con.execute("SELECT followers_new, followers_lost, followers_net, followers_total, views FROM account_daily "
                       "WHERE date = ?", [day]).fetchall()


def test_overlapping_export_updates_the_overlap_and_undo_restores(con, tmp_path):
    first = user_growth(tmp_path / "a.xls", [["2026-03-01", 10, 2, 8, 108], ["2026-03-02", 20, 5, 15, 123],
                                             ["2026-03-03", 7, 1, 6, 129]])
    second = user_growth(tmp_path / "b.xls", [["2026-03-02", 21, 5, 16, 124], ["2026-03-03", 7, 1, 6, 129],
                                              ["2026-03-04", 9, 0, 9, 138]])
    a = importer.import_file(con, first, account="Sub")
    assert (a.status, a.rows, a.inserted, a.updated) == ("imported", 3, 3, 0)
    b = importer.import_file(con, second, account="Sub")
    # Mar 2 changed (20 → 21 new follows), Mar 3 identical, Mar 4 new.
    assert (b.status, b.rows, b.inserted, b.updated) == ("imported", 3, 1, 1)
    assert daily(con, dt.date(2026, 3, 2)) == [(21, 5, 16, 124, None)]
    assert con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0] == 4

    undone = importer.undo_import(con, b.import_id)
    assert undone["status"] == "undone"
    assert daily(con, dt.date(2026, 3, 2)) == [(20, 5, 15, 123, None)]      # what the first export said
    assert daily(con, dt.date(2026, 3, 4)) == []                             # only the undone export had it
    assert con.execute("SELECT status FROM imports ORDER BY import_id").fetchall() == [("active",), ("undone",)]
    with pytest.raises(importer.Rejected, match="already undone"):
        importer.undo_import(con, b.import_id)


def test_same_file_twice_changes_nothing_and_says_so(con, tmp_path):
    path = user_growth(tmp_path / "user_analysis.xls", [["2026-03-01", 10, 2, 8, 108]])
    first = importer.import_file(con, path, account="Sub")
    version = connection.data_version(con)
    again = importer.import_file(con, path, file_name="renamed copy.xls", account="Sub")
    assert again.status == "unchanged"
    assert again.import_id == first.import_id
    assert "already imported" in again.message
    assert connection.data_version(con) == version
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 1


def test_a_file_with_fewer_figures_never_blanks_figures_from_another(con, tmp_path):
    user_growth(tmp_path / "growth.xls", [["2026-03-01", 10, 2, 8, 108]])
    importer.import_file(con, tmp_path / "growth.xls", account="Sub")
    # The content-trend sheet's first block gives readers per channel; 全部 is the de-duplicated total.
    (tmp_path / "trend.csv").write_text("日期,渠道,阅读人数\n2026-03-01,全部,100\n2026-03-01,公众号消息,70\n"
                                        "2026-03-01,朋友圈,40\n2026-03-01,聊天会话,20\n", "utf-8")
    result = importer.import_file(con, tmp_path / "trend.csv", account="Sub")
    assert result.status == "imported", result.error
    # views = the 全部 row (100), not 100 + 70 + 40 + 20 = 230; followers from the first file stay.
    assert daily(con, dt.date(2026, 3, 1)) == [(10, 2, 8, 108, 100)]
    parts = con.execute("SELECT sum(readers) FROM traffic_daily WHERE source <> '全部'").fetchall()[0][0]
    assert parts == 130


def test_net_follows_derived_when_the_export_lacks_it(con, tmp_path):
    (tmp_path / "g.xls").write_text("<table><tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th></tr>"
                                    "<tr><td>2026-03-01</td><td>12</td><td>5</td></tr></table>", "utf-8")
    importer.import_file(con, tmp_path / "g.xls", account="Sub")
    assert daily(con, dt.date(2026, 3, 1)) == [(12, 5, 7, None, None)]       # 12 − 5 = 7


def test_duplicate_keys_in_one_file_last_row_wins_and_is_reported(con, tmp_path):
    user_growth(tmp_path / "dup.xls", [["2026-03-01", 10, 2, 8, 108], ["2026-03-01", 11, 2, 9, 109]])
    result = importer.import_file(con, tmp_path / "dup.xls", account="Sub")
    assert (result.rows, result.duplicates) == (1, 1)
    assert "last one" in result.message
    assert daily(con, dt.date(2026, 3, 1)) == [(11, 2, 9, 109, None)]


def test_spend_ledger_rows_with_the_same_key_are_added_up(con, tmp_path):
    (tmp_path / "ledger.csv").write_text(
        "date,budget line,channel,amount,note\n2026-03-02,Red packets,Own official groups,\"1,200.50\",a\n"
        "2026-03-02,Red packets,Own official groups,99.50,b\n2026-03-03,Tools,,680,\n", "utf-8")
    result = importer.import_file(con, tmp_path / "ledger.csv")
    assert (result.status, result.rows, result.duplicates) == ("imported", 2, 1)
    rows = con.execute("SELECT source, date, budget_line, channel, amount FROM spend ORDER BY date").fetchall()
    # 1,200.50 + 99.50 = 1,300.00; an empty channel becomes '(none)'.
    assert rows == [("ledger", dt.date(2026, 3, 2), "Red packets", "Own official groups", 1300.0),
                    ("ledger", dt.date(2026, 3, 3), "Tools", "(none)", 680.0)]
    assert result.account is None


def test_account_defaults_and_choice(con, tmp_path):
    user_growth(tmp_path / "a.xls", [["2026-03-01", 1, 0, 1, 1]])
    first = importer.import_file(con, tmp_path / "a.xls")
    assert first.account == "wechat"                                          # named after the platform
    user_growth(tmp_path / "b.xls", [["2026-03-02", 1, 0, 1, 2]])
    assert importer.import_file(con, tmp_path / "b.xls").account == "wechat"  # the platform's only account
    user_growth(tmp_path / "c.xls", [["2026-03-03", 1, 0, 1, 3]])
    assert importer.import_file(con, tmp_path / "c.xls", account="Service").account == "Service"
    user_growth(tmp_path / "d.xls", [["2026-03-04", 1, 0, 1, 4]])
    ambiguous = importer.import_file(con, tmp_path / "d.xls")
    assert ambiguous.status == "rejected"
    assert "wechat has 2 accounts (Service, wechat)" in ambiguous.error


def test_data_version_rises_after_import_and_undo(con, tmp_path):
    v0 = connection.data_version(con)
    result = importer.import_file(con, user_growth(tmp_path / "a.xls", [["2026-03-01", 1, 0, 1, 1]]), account="S")
    v1 = connection.data_version(con)
    importer.undo_import(con, result.import_id)
    assert v0 < v1 < connection.data_version(con)


def test_reimporting_an_undone_file_imports_it_again(con, tmp_path):
    path = user_growth(tmp_path / "a.xls", [["2026-03-01", 1, 0, 1, 1]])
    first = importer.import_file(con, path, account="S")
    importer.undo_import(con, first.import_id)
    again = importer.import_file(con, path, account="S")
    assert again.status == "imported" and again.import_id != first.import_id
    assert daily(con, dt.date(2026, 3, 1)) == [(1, 0, 1, 1, None)]


def test_every_figure_keeps_its_source(con, tmp_path):
    result = importer.import_file(con, user_growth(tmp_path / "a.xls", [["2026-03-01", 1, 0, 1, 1]]), account="S")
    assert con.execute("SELECT import_id FROM account_daily").fetchall() == [(result.import_id,)]
    facts = con.execute("SELECT import_id, src_row FROM account_daily_facts").fetchall()
    assert facts == [(result.import_id, 3)]                                   # row 3: title, header, data
