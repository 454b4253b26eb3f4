"""Bad input is refused with a message naming the file (and row, column, value), and the store is
exactly as before: every table's content is compared before and after."""
from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter

from store import importer

GOOD = ("<table><tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th><th>累积关注人数</th></tr>"
        "<tr><td>2026-03-01</td><td>10</td><td>2</td><td>8</td><td>108</td></tr></table>")


def snapshot(con) -> dict:
    """Every table's rows, sorted, so two snapshots compare equal only if nothing changed."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()]
    return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


@pytest.fixture
def seeded(con, tmp_path):
    """A store that already holds one import, so 'unchanged' means more than 'still empty'."""
    (tmp_path / "seed.xls").write_text(GOOD, "utf-8")
    assert importer.import_file(con, tmp_path / "seed.xls", account="Sub").status == "imported"
    return con


def xlsx_bytes(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def refused(con, path, *expected):
    before = snapshot(con)
    result = importer.import_file(con, path, account="Sub")
    assert result.status == "rejected", result
    assert result.error.startswith(path.name), result.error
    for fragment in expected:
        assert fragment in result.error, result.error
    assert snapshot(con) == before
    return result


def test_empty_file(seeded, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    refused(seeded, path, "the file is empty (0 bytes)")


def test_random_bytes(seeded, tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(bytes(range(256)) * 40)
    refused(seeded, path, "binary data")


def test_truncated_xlsx(seeded, tmp_path):
    data = xlsx_bytes([["日期", "播放量"], ["2026-03-14", 1656]])
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(seeded, path, "damaged or truncated")


def test_login_timeout_page_saved_as_xls(seeded, tmp_path):
    path = tmp_path / "user_analysis.xls"
    path.write_text("<!DOCTYPE html><html><head><title>微信公众平台</title></head><body>"
                    "<div>登录超时，请重新登录</div></body></html>", "utf-8")
    refused(seeded, path, "web page without any data table")


def test_header_only_is_recognised_with_zero_rows(seeded, tmp_path):
    path = tmp_path / "header_only.xls"
    path.write_text(GOOD.split("<tr><td>")[0] + "</table>", "utf-8")
    before = snapshot(seeded)
    result = importer.import_file(seeded, path, account="Sub")
    assert (result.status, result.platform, result.report, result.rows) == ("unchanged", "wechat", "user_growth", 0)
    assert "no data rows" in result.message
    assert snapshot(seeded) == before


def test_garbage_value_in_one_cell_names_row_column_and_value(seeded, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_text("date,visitors,registrations,active users,total users,orders,GMV\n"
                    "2026-03-01,100,40,30,500,8,400.00\n"
                    "2026-03-02,120,4O,31,540,9,420.00\n", "utf-8")
    result = refused(seeded, path, "row 3", "column 'registrations'", "'4O'", "not a whole number")
    assert "Nothing was imported" in result.error


def test_bad_date_is_named(seeded, tmp_path):
    path = tmp_path / "baddate.csv"
    path.write_text("date,visitors,registrations,active users,total users,orders,GMV\n"
                    "2026-02-30,100,40,30,500,8,400.00\n", "utf-8")
    refused(seeded, path, "row 2", "column 'date'", "'2026-02-30'", "not a date")


def test_image_renamed_csv(seeded, tmp_path):
    path = tmp_path / "chart.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    refused(seeded, path, "a PNG image")


def test_xlsx_zip_bomb_refused_before_parsing(seeded, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * (20 * 1024 * 1024) + b"</row>")
    assert path.stat().st_size < 200_000
    refused(seeded, path, "zip bomb", "refused before parsing")


def test_file_over_50_mb(seeded, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.write(b"date,visitors\n")
        fh.truncate(50 * 1024 * 1024 + 1)
    refused(seeded, path, "the limit is 50 MB per file")


def test_mis_encoded_text(seeded, tmp_path):
    # A UTF-8 export damaged by a bad byte in a Chinese header and values: no encoding reads it into a known layout.
    path = tmp_path / "broken.csv"
    path.write_bytes("时间,新关注人数\n".encode("utf-8")[:4] + b"\xff\xfe\x00\x01\x02" + "\n2026-03-01,5\n".encode())
    result = refused(seeded, path)
    assert "not recognised" in result.error or "encoding" in result.error or "binary" in result.error


def test_unknown_layout_asks_for_a_mapping(seeded, tmp_path):
    path = tmp_path / "weibo.csv"
    path.write_text("日子,涨粉\n2026-03-01,5\n", "utf-8")
    result = refused(seeded, path, "layout is not recognised", "日子, 涨粉", "Map its columns")
    assert result.unknown_layout["sheets"][0]["headers"][:2] == ["日子", "涨粉"]


def test_duplicate_file_is_recognised(seeded, tmp_path):
    before = snapshot(seeded)
    result = importer.import_file(seeded, tmp_path / "seed.xls", account="Sub")
    assert result.status == "unchanged"
    assert snapshot(seeded) == before


def test_a_bad_file_in_a_batch_does_not_stop_the_good_ones(seeded, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    good = tmp_path / "good.xls"
    good.write_text(GOOD.replace("2026-03-01", "2026-03-02"), "utf-8")
    results = [importer.import_file(seeded, p, account="Sub") for p in (bad, good)]
    assert [r.status for r in results] == ["rejected", "imported"]
