"""The import's shortcuts give what the full computation gives.

* Cells are cast the plain way first; only the cells that fail go through the full rules
  (units, percent signs, dates without a year …), and a post id hashed from such a cell is
  hashed again from its parsed value.
* Keys new to the store get the staged row as their current row; keys the store holds get the
  figures the new import provides written over theirs, except when a derived figure (net
  follows) would depend on a provided figure it is not given with: then the key is rebuilt
  from the history. After any sequence of imports, rebuilding every key changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from store import importer, loader, normalise
from store.relations import RELATIONS

GROWTH_HEADER = "<tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"
NEW_LOST_HEADER = "<tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th></tr>"


def table_file(path, header, rows):
    """A WeChat user-growth style HTML table saved as .xls."""
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    path.write_text(f"<html><body><table>{header}{body}</table></body></html>", "utf-8")
    return path


def follows(con, day):
    return con.execute("SELECT followers_new, followers_lost, followers_net, followers_total, import_id "
                       "FROM account_daily WHERE date = ?", [day]).fetchall()


def keys_stored_more_than_once(con) -> dict[str, int]:
    """Per relation, how many current rows repeat a natural key (the tables have no key index)."""
    out = {}
    for rel in RELATIONS.values():
        keys = ", ".join(rel.key)
        out[rel.name] = con.execute(f"SELECT count(*) - count(DISTINCT ({keys})) FROM {rel.name}").fetchall()[0][0]
    return {name: n for name, n in out.items() if n}


def rebuild_everything_changes_nothing(con) -> bool:
    """Every natural key has one current row, and rebuilding every current row of every relation
    from the history changes nothing: (inserted, updated) = (0, 0)."""
    if keys_stored_more_than_once(con):
        return False
    for rel in RELATIONS.values():
        keys = ", ".join(rel.key)
        if loader.rebuild(con, rel, f"SELECT {keys} FROM {rel.name}") != (0, 0):
            return False
    return True


def test_every_key_has_one_current_row_through_imports_and_undos(con, tmp_path):
    steps = [
        ("a.xls", GROWTH_HEADER, [["2026-03-01", 10, 2, 8, 108], ["2026-03-02", 20, 5, 15, 123]]),
        # overlaps Mar 2, repeats Mar 3 inside the file, adds Mar 3
        ("b.xls", GROWTH_HEADER, [["2026-03-02", 21, 5, 16, 124], ["2026-03-03", 4, 1, 3, 127],
                                  ["2026-03-03", 5, 1, 4, 128]]),
        # new and lost only: the held keys go through the rebuild
        ("c.xls", NEW_LOST_HEADER, [["2026-03-01", 11, 2], ["2026-03-03", 6, 1], ["2026-03-04", 2, 0]]),
    ]
    done = []
    for name, header, rows in steps:
        result = importer.import_file(con, table_file(tmp_path / name, header, rows), account="Sub")
        assert result.status == "imported", result.error
        done.append(result)
        assert keys_stored_more_than_once(con) == {}, name
    assert con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0] == 4     # Mar 1–4
    importer.undo_import(con, done[1].import_id)
    assert keys_stored_more_than_once(con) == {}
    # Mar 3 now comes from c alone: 6 new, 1 lost, net derived 5
    assert follows(con, dt.date(2026, 3, 3))[0][:3] == (6, 1, 5)
    again = importer.import_file(con, tmp_path / "b.xls", account="Sub")
    assert again.status == "imported"
    importer.undo_import(con, done[0].import_id)
    assert con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0] == 4
    assert rebuild_everything_changes_nothing(con)


def test_held_keys_take_the_new_figures_and_keep_the_others(con, tmp_path):
    first = table_file(tmp_path / "a.xls", GROWTH_HEADER, [["2026-03-01", 10, 2, 8, 108], ["2026-03-02", 20, 5, 15, 123]])
    a = importer.import_file(con, first, account="Sub")
    # Mar 1 changes (10 → 11 new follows, net 8 → 9), Mar 2 is the same, Mar 3 is new.
    second = table_file(tmp_path / "b.xls", GROWTH_HEADER, [["2026-03-01", 11, 2, 9, 109], ["2026-03-02", 20, 5, 15, 123],
                                                            ["2026-03-03", 4, 1, 3, 126]])
    b = importer.import_file(con, second, account="Sub")
    assert (b.rows, b.inserted, b.updated) == (3, 1, 1)
    assert follows(con, dt.date(2026, 3, 1)) == [(11, 2, 9, 109, b.import_id)]
    # unchanged figures, but the newest import that gives them is now the second one
    assert follows(con, dt.date(2026, 3, 2)) == [(20, 5, 15, 123, b.import_id)]
    assert follows(con, dt.date(2026, 3, 3)) == [(4, 1, 3, 126, b.import_id)]
    assert a.import_id < b.import_id
    assert rebuild_everything_changes_nothing(con)


def test_a_derived_net_is_derived_again_from_new_figures(con, tmp_path):
    # The first file gives new and lost follows only: net is derived, 12 − 5 = 7.
    importer.import_file(con, table_file(tmp_path / "a.xls", NEW_LOST_HEADER, [["2026-03-01", 12, 5]]), account="Sub")
    assert follows(con, dt.date(2026, 3, 1))[0][:3] == (12, 5, 7)
    # The second gives 20 and 5 for the same day: no file states a net, so it is 20 − 5 = 15.
    b = importer.import_file(con, table_file(tmp_path / "b.xls", NEW_LOST_HEADER, [["2026-03-01", 20, 5]]), account="Sub")
    assert (b.inserted, b.updated) == (0, 1)
    assert follows(con, dt.date(2026, 3, 1)) == [(20, 5, 15, None, b.import_id)]
    assert rebuild_everything_changes_nothing(con)


def test_a_stated_net_is_kept_when_a_later_file_only_gives_new_and_lost(con, tmp_path):
    importer.import_file(con, table_file(tmp_path / "a.xls", GROWTH_HEADER, [["2026-03-01", 10, 2, 8, 108]]),
                         account="Sub")
    b = importer.import_file(con, table_file(tmp_path / "b.xls", NEW_LOST_HEADER, [["2026-03-01", 12, 5]]),
                             account="Sub")
    # new and lost follows from the newer file; the net the first file states (8) stays, as the
    # total (108) does: the second file gives neither
    assert (b.inserted, b.updated) == (0, 1)
    assert follows(con, dt.date(2026, 3, 1)) == [(12, 5, 8, 108, b.import_id)]
    # a file stating the net again: 12 new, 5 lost, net 7
    c = importer.import_file(con, table_file(tmp_path / "c.xls", GROWTH_HEADER, [["2026-03-01", 12, 5, 7, 111]]),
                             account="Sub")
    assert follows(con, dt.date(2026, 3, 1)) == [(12, 5, 7, 111, c.import_id)]
    importer.undo_import(con, c.import_id)
    assert follows(con, dt.date(2026, 3, 1)) == [(12, 5, 8, 108, b.import_id)]
    assert rebuild_everything_changes_nothing(con)


ARTICLES_HEADER = ("内容标题,发表时间,总阅读人数,总阅读次数,总分享人数,总分享次数,阅读后关注人数,送达人数,公众号消息阅读次数,"
                   "送达阅读率,首次分享次数,分享产生阅读次数,首次分享率,每次分享带来阅读次数,阅读完成率,内容url\n")


def post_id(title: str, day: str) -> str:
    """The layout's key: 'h:' + the first 16 hex digits of md5(title | publication day)."""
    return "h:" + hashlib.md5(f"{title}|{day}".encode()).hexdigest()[:16]


def test_cells_the_plain_cast_misses_go_through_the_full_rules(con, tmp_path):
    path = tmp_path / "已通知内容_20260315.csv"       # exported on 15 March 2026
    path.write_text(
        ARTICLES_HEADER
        + "早餐合集,2026-03-01 08:00,100,120,5,6,1,2000,300,0.15,5,20,0.05,4.2,0.61,https://a\n"
        # a count with a thousands separator and 万, a percent rate, a date written without a year
        + "火锅测评,3月2日,\"1,234\",1.2万,7,9,2,3000,450,0.15,7,28,0.06,4.0,61.5%,https://b\n"
        + "咖啡指南,2026年3月3日 21:30,--,-,0,0,0,1000,150,0.15,0,0,0,0,,https://c\n", "utf-8")
    result = importer.import_file(con, path, account="Sub")
    assert (result.status, result.rows) == ("imported", 3), result.error
    rows = con.execute("SELECT post_id, title, published_at, readers, views, completion_rate FROM posts "
                       "ORDER BY published_at").fetchall()
    assert rows == [
        (post_id("早餐合集", "2026-03-01"), "早餐合集", dt.datetime(2026, 3, 1, 8, 0), 100, 120, 0.61),
        # 1,234 = 1234; 1.2万 = 1.2 × 10,000 = 12,000; 61.5% = 0.615; 3月2日 is the 2nd of March of the
        # export's year (2026), and the post id is hashed from that day
        (post_id("火锅测评", "2026-03-02"), "火锅测评", dt.datetime(2026, 3, 2, 0, 0), 1234, 12000, 0.615),
        # '--' and '-' are missing, not 0; an empty rate is missing too
        (post_id("咖啡指南", "2026-03-03"), "咖啡指南", dt.datetime(2026, 3, 3, 21, 30), None, None, None),
    ]


def test_a_bad_cell_found_by_the_full_rules_is_named(con, tmp_path):
    path = tmp_path / "已通知内容_20260315.csv"
    path.write_text(ARTICLES_HEADER
                    + "早餐合集,2026-03-01 08:00,100,120,5,6,1,2000,300,0.15,5,20,0.05,4.2,0.61,https://a\n"
                    + "火锅测评,2026-03-02 08:00,\"1,234\",12.5%,7,9,2,3000,450,0.15,7,28,0.06,4.0,0.6,https://b\n",
                    "utf-8")
    result = importer.import_file(con, path, account="Sub")
    assert result.status == "rejected"
    assert "row 3, column '总阅读次数': the value '12.5%' is not a whole number" in result.error
    assert con.execute("SELECT count(*) FROM posts_facts").fetchall()[0][0] == 0


def test_flag_columns_hold_62_checked_fields_each():
    checks = [(f"f{i}", i, f"h{i}", "a number") for i in range(70)]
    groups = normalise._flag_columns(checks)
    assert [len(g) for g in groups] == [62, 8]
    assert groups[0][61] == (61, "f61", 1 << 61)
    assert groups[1][0] == (62, "f62", 1)
