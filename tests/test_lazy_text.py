"""A big UTF-8 text file is read where it lies (a view over read_csv) instead of being copied
into a table first: the imports, their row numbers and their messages are the same."""
from __future__ import annotations

import inspect


import fixtures_writer as fw
from store import connection, importer, readers
from store.relations import RELATIONS

TEXT_WRITERS = [f for name, f in inspect.getmembers(fw, inspect.isfunction)
                if name.endswith(("_csv", "_gbk", "_utf16", "_cp1252")) and list(inspect.signature(f).parameters) == ["folder"]]


def tables(con) -> dict[str, list]:
    out = {}
    for rel in RELATIONS.values():
        cols = ", ".join(rel.columns)
        out[rel.name] = con.execute(f"SELECT {cols}, import_id FROM {rel.name} ORDER BY ALL").fetchall()
        out[rel.name + "_facts"] = con.execute(f"SELECT import_id, src_row, {cols} FROM {rel.name}_facts "
                                               f"ORDER BY ALL").fetchall()
    return out


def import_all(path, files) -> tuple[list, dict]:
    con = connection.cursor(path)
    con.execute("INSERT INTO settings VALUES ('workspace_mode', 'own')")
    results = [importer.import_file(con, f) for f in files]
    summary = [(r.status, r.platform, r.report, r.rows, r.inserted, r.updated, r.duplicates, r.error) for r in results]
    out = tables(con)
    connection.close(path)
    return summary, out


def test_every_text_fixture_imports_the_same_read_lazily(tmp_path, monkeypatch):
    assert len(TEXT_WRITERS) >= 10
    folder = tmp_path / "files"
    folder.mkdir()
    files = [write(folder) for write in TEXT_WRITERS]
    eager = import_all(tmp_path / "eager.duckdb", files)
    monkeypatch.setattr(readers, "LAZY_TEXT_BYTES", 0)
    lazy = import_all(tmp_path / "lazy.duckdb", files)
    assert sum(1 for status, *_ in eager[0] if status == "imported") >= 10
    assert lazy[0] == eager[0]
    assert lazy[1] == eager[1]


def big_articles(path, rows: int, bad_row: int | None = None):
    """A WeChat 已通知内容 export (variant A) of ``rows`` posts, one a day from 2025-01-01 back."""
    lines = [fw.ARTICLES_A_HEADER]
    for i in range(rows):
        reads = "abc" if i + 2 == bad_row else str(100 + i)
        day = f"{2025 - i // 365}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d} 20:00"
        lines.append([f"第{i}篇", day, reads, str(2 * i), "1", "1", "0", "1000", "900", "0.1", "1", "2", "0.01",
                      "2.0", "0.5", f"https://mp.weixin.qq.com/s/{i}"])
    return fw.write_csv(path, lines)


def test_a_big_file_is_a_view_and_keeps_its_row_numbers(con, tmp_path):
    path = big_articles(tmp_path / "已通知内容_20250101.csv", 20_000)
    assert path.stat().st_size > readers.LAZY_TEXT_BYTES
    book = readers.read_file(con, path, path.name)
    try:
        assert book.sheets[0].lazy
        assert book.sheets[0].head[0][:2] == ["内容标题", "发表时间"]
        assert book.sheets[0].head[39][0] == "第38篇"                     # file row 40
        # rowid + 1 is the file's row: the last data row is row 20,001
        assert con.execute(f"SELECT rowid + 1, c0, c2 FROM {book.sheets[0].table} ORDER BY rowid DESC LIMIT 1"
                           ).fetchall() == [(20_001, "第19999篇", "20099")]
    finally:
        readers.drop(con, book)
    result = importer.import_file(con, path, account="Sub")
    assert (result.status, result.rows, result.inserted) == ("imported", 20_000, 20_000), result.error
    # readers = 100 + i for i = 0 … 19,999: 20,000 × 100 + 19,999 × 20,000 / 2 = 201,990,000
    assert con.execute("SELECT count(*), sum(readers) FROM posts").fetchall() == [(20_000, 201_990_000)]
    assert con.execute("SELECT min(src_row), max(src_row) FROM posts").fetchall() == [(2, 20_001)]


def test_a_bad_cell_deep_in_a_big_file_is_named_and_nothing_is_stored(con, tmp_path):
    path = big_articles(tmp_path / "已通知内容_20250101.csv", 20_000, bad_row=15_000)
    result = importer.import_file(con, path, account="Sub")
    assert result.status == "rejected"
    assert result.error.startswith(f"{path.name}: row 15000, column '总阅读人数': the value 'abc' is not")
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM posts").fetchall()[0][0] == 0


def test_a_big_file_duckdb_cannot_read_is_rejected_with_its_name(con, tmp_path):
    # one line longer than read_csv's max_line_size (10 MB), after a good first part
    path = big_articles(tmp_path / "已通知内容_20250101.csv", 20_000)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("x" * 11_000_000 + ",2025-01-01,1\n")
    result = importer.import_file(con, path, account="Sub")
    assert result.status == "rejected"
    assert result.error.startswith(f"{path.name}: the text could not be read as a table:")
    assert con.execute("SELECT count(*) FROM posts").fetchall()[0][0] == 0


def test_a_big_file_utf8_only_at_the_start_is_read_in_its_real_encoding(con, tmp_path):
    # 40,000 days × 1 channel of ASCII (well past the 256 KB taken for UTF-8 unread), then one
    # channel written by a cp1252 program: the whole file is cp1252, as the eager read says
    import datetime as dt
    first = dt.date(1900, 1, 1)
    lines = ["date,channel,new follows,registrations,orders"]
    lines += [f"{first + dt.timedelta(days=i)},Weibo drive,{i % 7},1,0" for i in range(40_000)]
    lines.append(f"{first + dt.timedelta(days=40_000)},Caf\u00e9 posters,5,2,1")
    path = tmp_path / "channel_daily.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    assert path.stat().st_size > readers.LAZY_TEXT_BYTES and path.stat().st_size > readers.UTF8_HEAD_BYTES
    result = importer.import_file(con, path)
    assert (result.status, result.rows) == ("imported", 40_001), result.error
    assert con.execute("SELECT followers_new, registrations FROM channel_daily WHERE channel = 'Café posters'"
                       ).fetchall() == [(5, 2)]
    assert con.execute("SELECT encoding FROM imports").fetchall() == [("cp1252",)]
    # new follows = i % 7 over 40,000 days: 5,714 full weeks (0+…+6 = 21), then i = 39,998 and
    # 39,999 → 0 and 1; and the café row's 5
    assert con.execute("SELECT sum(followers_new) FROM channel_daily").fetchall() == [(5_714 * 21 + 1 + 5,)]


def test_a_big_file_whose_first_rows_reach_a_non_utf8_byte_is_read_in_its_real_encoding(con, tmp_path, monkeypatch):
    # the first rows read to recognise the file reach past the 256 KB checked in Python, to a
    # cp1252 byte: the file is decoded whole instead (as when the parse meets the byte later)
    monkeypatch.setattr(readers, "HEAD_ROWS", 50_000)
    lines = ["date,channel,new follows,registrations,orders"]
    lines += [f"2020-01-01,Weibo drive {i},1,0,0" for i in range(12_000)]       # about 380 KB
    lines.append("2020-01-02,Caf\u00e9 posters,5,2,1")
    lines += [f"2020-01-03,Stall {i},1,0,0" for i in range(30_000)]
    path = tmp_path / "channel_daily.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    assert path.stat().st_size > readers.LAZY_TEXT_BYTES
    assert path.read_bytes().index(b"\xe9") > readers.UTF8_HEAD_BYTES
    result = importer.import_file(con, path)
    assert (result.status, result.rows) == ("imported", 42_001), result.error
    assert con.execute("SELECT followers_new, registrations, orders FROM channel_daily "
                       "WHERE channel = 'Café posters'").fetchall() == [(5, 2, 1)]
    assert con.execute("SELECT encoding FROM imports").fetchall() == [("cp1252",)]
