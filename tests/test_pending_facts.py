"""An import whose rows are all new writes its history rows only when something is about to
change them (store/loader.py ``settle``); the store then holds exactly what writing them at
once gives."""
from __future__ import annotations

import datetime as dt
import inspect


import fixtures_writer as fw
from store import connection, importer, loader
from store.relations import RELATIONS
from test_import_paths import ARTICLES_HEADER, GROWTH_HEADER, NEW_LOST_HEADER, rebuild_everything_changes_nothing, table_file

WRITERS = [f for name, f in inspect.getmembers(fw, inspect.isfunction)
           if list(inspect.signature(f).parameters) == ["folder"] and not name.startswith("_")]


def articles(path, rows):
    path.write_text(ARTICLES_HEADER + "".join(
        f"{title},{when},{reads},{reads},1,1,0,100,90,0.1,1,1,0.01,1.0,0.5,https://x/{title}\n"
        for title, when, reads in rows), "utf-8")
    return path


def pending(con):
    return con.execute("SELECT import_id, relation FROM pending_facts ORDER BY ALL").fetchall()


def test_an_all_new_import_waits_and_a_later_overlap_writes_its_history(con, tmp_path):
    a = importer.import_file(con, articles(tmp_path / "a.csv", [("早餐", "2026-03-01 08:00", 10),
                                                                ("午餐", "2026-03-02 12:00", 20)]), account="Sub")
    assert pending(con) == [(a.import_id, "posts")]
    assert con.execute("SELECT count(*) FROM posts_facts").fetchall()[0][0] == 0
    # the current rows say where their figures came from: rows 2 and 3 of a.csv
    assert con.execute("SELECT title, import_id, src_row FROM posts ORDER BY src_row").fetchall() == [
        ("早餐", a.import_id, 2), ("午餐", a.import_id, 3)]
    # 午餐 again with 25 readers, and a new 晚餐: a's history is written before 午餐 changes
    b = importer.import_file(con, articles(tmp_path / "b.csv", [("晚餐", "2026-03-02 19:00", 5),
                                                                ("午餐", "2026-03-02 12:00", 25)]), account="Sub")
    assert (b.inserted, b.updated) == (1, 1)
    assert pending(con) == []
    assert con.execute("SELECT import_id, src_row, title, readers FROM posts_facts ORDER BY import_id, src_row"
                       ).fetchall() == [(a.import_id, 2, "早餐", 10), (a.import_id, 3, "午餐", 20),
                                        (b.import_id, 2, "晚餐", 5), (b.import_id, 3, "午餐", 25)]
    assert con.execute("SELECT title, readers, import_id, src_row FROM posts ORDER BY title").fetchall() == [
        ("午餐", 25, b.import_id, 3), ("早餐", 10, a.import_id, 2), ("晚餐", 5, b.import_id, 2)]
    importer.undo_import(con, b.import_id)
    assert con.execute("SELECT title, readers, import_id, src_row FROM posts ORDER BY title").fetchall() == [
        ("午餐", 20, a.import_id, 3), ("早餐", 10, a.import_id, 2)]
    assert rebuild_everything_changes_nothing(con)


def test_undoing_a_pending_import_removes_its_rows_and_keeps_its_history(con, tmp_path):
    a = importer.import_file(con, articles(tmp_path / "a.csv", [("早餐", "2026-03-01 08:00", 10)]), account="Sub")
    assert pending(con) == [(a.import_id, "posts")]
    importer.undo_import(con, a.import_id)
    assert con.execute("SELECT count(*) FROM posts").fetchall()[0][0] == 0
    assert pending(con) == []
    assert con.execute("SELECT import_id, src_row, readers FROM posts_facts").fetchall() == [(a.import_id, 2, 10)]


def test_a_derived_net_the_import_did_not_give_stays_out_of_its_history(con, tmp_path):
    # new and lost only: the current row derives net 12 − 5 = 7, the history keeps net empty
    a = importer.import_file(con, table_file(tmp_path / "a.xls", NEW_LOST_HEADER, [["2026-03-01", 12, 5]]),
                             account="Sub")
    assert pending(con) == [(a.import_id, "account_daily")]
    assert con.execute("SELECT followers_net FROM account_daily").fetchall() == [(7,)]
    loader.settle(con, RELATIONS["account_daily"])
    assert con.execute("SELECT followers_new, followers_lost, followers_net FROM account_daily_facts").fetchall() == [
        (12, 5, None)]
    # a file stating the net is written at once: its empty net cell must stay empty in the history
    b = importer.import_file(con, table_file(tmp_path / "b.xls", GROWTH_HEADER, [["2026-03-02", 3, 1, "", 10]]),
                             account="Sub")
    assert pending(con) == []
    assert con.execute("SELECT followers_net FROM account_daily_facts WHERE import_id = ?", [b.import_id]
                       ).fetchall() == [(None,)]
    assert con.execute("SELECT followers_net FROM account_daily WHERE date = ?", [dt.date(2026, 3, 2)]
                       ).fetchall() == [(2,)]


def tables(con) -> dict[str, list]:
    out = {}
    for rel in RELATIONS.values():
        cols = ", ".join(rel.columns)
        out[rel.name] = con.execute(f"SELECT {cols}, import_id, src_row FROM {rel.name} ORDER BY ALL").fetchall()
        out[rel.name + "_facts"] = con.execute(f"SELECT import_id, src_row, {cols} FROM {rel.name}_facts "
                                               f"ORDER BY ALL").fetchall()
    return out


def run_sequence(path, folder) -> dict[str, list]:
    """Every fixture file, then overlapping follower files and articles, two undos; all settled."""
    con = connection.cursor(path)
    con.execute("INSERT INTO settings VALUES ('workspace_mode', 'own')")
    ids = []
    for f in sorted(folder.iterdir()):
        ids.append(importer.import_file(con, f, account="Main").import_id)
    folder = path.parent / f"steps_{path.stem}"
    folder.mkdir()
    steps = [table_file(folder / "g1.xls", NEW_LOST_HEADER, [["2026-03-01", 12, 5], ["2026-03-02", 4, 1]]),
             table_file(folder / "g2.xls", GROWTH_HEADER, [["2026-03-02", 5, 1, 4, 20], ["2026-03-03", 2, 0, 2, 22]]),
             table_file(folder / "g3.xls", NEW_LOST_HEADER, [["2026-03-03", 3, 0], ["2026-03-04", 1, 1]]),
             articles(folder / "p1.csv", [("早餐", "2026-03-01 08:00", 10), ("午餐", "2026-03-02 12:00", 20)]),
             articles(folder / "p2.csv", [("午餐", "2026-03-02 12:00", 21), ("晚餐", "2026-03-02 19:00", 3)])]
    for f in steps:
        ids.append(importer.import_file(con, f, account="Sub").import_id)
    for import_id in (ids[-4], ids[2]):
        if import_id is not None:
            importer.undo_import(con, import_id)
    for rel in RELATIONS.values():
        loader.settle(con, rel)
    assert pending(con) == []
    out = tables(con)
    connection.close(path)
    return out


def test_settled_history_is_what_writing_it_at_once_gives(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    for write in WRITERS:
        write(folder)
    assert len(list(folder.iterdir())) >= 20
    deferred = run_sequence(tmp_path / "deferred.duckdb", folder)
    monkeypatch.setattr(loader, "can_defer_facts", lambda rel, provided: False)
    at_once = run_sequence(tmp_path / "at_once.duckdb", folder)
    assert sum(len(rows) for name, rows in at_once.items() if name.endswith("_facts")) > 60
    for name in at_once:
        assert deferred[name] == at_once[name], name
