"""The Upload page under AppTest: many files at once, results per file, mapping step, undo, templates, empty workspace."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from store import connection
from tests.conftest import ROOT

APP = str(ROOT / "app.py")

GROWTH = ("<table><tr><th>用户增长</th></tr><tr><th>时间</th><th>新关注人数</th><th>取消关注人数</th><th>净增关注人数</th>"
          "<th>累积关注人数</th></tr><tr><td>2026-03-01</td><td>10</td><td>2</td><td>8</td><td>108</td></tr>"
          "<tr><td>2026-03-02</td><td>6</td><td>1</td><td>5</td><td>113</td></tr></table>").encode()
LEDGER = b"date,budget line,channel,amount,note\n2026-03-02,Red packets,Own official groups,800,\n"
WEIBO = "日子,新增粉丝数,掉粉\n2026-03-01,12,3\n2026-03-02,15,4\n".encode()


def upload_page():
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("pages/upload.py").run()


def results(at):
    return at.dataframe[0].value


def test_many_files_at_once_with_a_result_per_file(db_path):
    at = upload_page()
    at.file_uploader[0].set_value([("user_analysis.xls", GROWTH, "application/vnd.ms-excel"),
                                   ("ledger.csv", LEDGER, "text/csv"), ("empty.csv", b"", "text/csv")]).run()
    assert not at.exception
    detected = at.dataframe[0].value if at.dataframe else at.data_editor[0].value
    assert "WeChat · WeChat user growth (用户增长)" in detected.iloc[:, 1].tolist()
    at.button(key="upload.go").click().run()
    assert not at.exception
    table = results(at)
    assert table["Status"].tolist() == ["imported", "imported", "rejected"]
    assert table["Rows"].tolist() == [2, 1, 0]
    assert table["Account"].tolist()[0] == "wechat"
    assert "empty.csv: the file is empty" in table["Message"].tolist()[2]
    assert table["Platform"].tolist()[2] == "–"
    # the refusal also stands on a line of its own, whole
    assert [e.value for e in at.error] == [table["Message"].tolist()[2]]
    assert any("2 imported, 0 unchanged, 1 rejected" in c.value for c in at.caption)
    con = connection.cursor(db_path)
    assert con.execute("SELECT sum(followers_new) FROM account_daily").fetchall()[0][0] == 16   # 10 + 6


def test_unknown_layout_is_mapped_once_and_recognised_next_time(db_path):
    at = upload_page()
    at.file_uploader[0].set_value([("weibo_daily.csv", WEIBO, "text/csv")]).run()
    assert any("Map the columns of weibo_daily.csv" in e.label for e in at.expander)
    at.selectbox(key="upload.map.weibo_daily.csv.platform").set_value("weibo")
    key = "upload.map.weibo_daily.csv.account_daily"
    at.selectbox(key=f"{key}.date").set_value("日子")
    at.selectbox(key=f"{key}.followers_new").set_value("新增粉丝数")
    at.selectbox(key=f"{key}.followers_lost").set_value("掉粉")
    at.button[[b.label for b in at.button].index("Save mapping and import")].click().run()
    assert not at.exception, at.exception
    table = results(at)
    assert (table["Status"][0], table["Platform"][0], table["Rows"][0]) == ("imported", "Weibo", 2)
    con = connection.cursor(db_path)
    assert con.execute("SELECT sum(followers_net) FROM account_daily WHERE platform = 'weibo'").fetchall()[0][0] == 20
    # The next upload with the same headers is recognised without the mapping step.
    from store import importer
    again = "日子,新增粉丝数,掉粉\n2026-03-03,9,1\n".encode()
    path = db_path.parent / "weibo_next.csv"
    path.write_bytes(again)
    result = importer.import_file(con, path)
    assert (result.status, result.platform, result.account) == ("imported", "weibo", "weibo")


def test_mapping_without_a_date_is_refused_with_the_reason(db_path):
    at = upload_page()
    at.file_uploader[0].set_value([("weibo_daily.csv", WEIBO, "text/csv")]).run()
    key = "upload.map.weibo_daily.csv.account_daily"
    at.selectbox(key=f"{key}.date").set_value("(not in the file)")
    at.button[[b.label for b in at.button].index("Save mapping and import")].click().run()
    assert any("map a column to 'date'" in e.value for e in at.error)


def test_history_and_undo(db_path):
    at = upload_page()
    at.file_uploader[0].set_value([("user_analysis.xls", GROWTH, "application/vnd.ms-excel")]).run()
    at.button(key="upload.go").click().run()
    history = at.dataframe[-1].value
    assert list(history.columns[:3]) == ["Import", "Imported at", "File"]
    assert (history["File"].iloc[0], history["Status"].iloc[0], history["Inserted"].iloc[0]) == \
        ("user_analysis.xls", "in force", 2)
    assert at.selectbox(key="upload.undo_id").value == 1
    at.button(key="upload.undo").click().run()
    assert not at.exception
    assert any("Import 1 undone" in s.value for s in at.success)
    assert at.dataframe[-1].value["Status"].iloc[0] == "undone"
    con = connection.cursor(db_path)
    assert con.execute("SELECT count(*) FROM account_daily").fetchall()[0][0] == 0
    assert con.execute("SELECT status FROM imports").fetchall() == [("undone",)]


def test_templates_are_offered_and_import_as_they_are(db_path, tmp_path):
    from store import importer, templates
    at = upload_page()
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 3
    con = connection.cursor(db_path)
    for report, (file_name, data) in templates.templates().items():
        path = tmp_path / file_name
        path.write_bytes(data)
        result = importer.import_file(con, path, account="Service")
        assert (result.status, result.report) == ("imported", report), result.error


def test_start_an_empty_workspace(demo_db):
    at = upload_page()
    at.checkbox(key="upload.empty_confirm").check().run()
    at.button(key="upload.empty").click().run()
    assert not at.exception
    con = connection.cursor(demo_db)
    for table in ("account_daily", "posts", "spend", "imports", "phases"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0, table
    assert con.execute("SELECT value FROM settings WHERE key = 'workspace_mode'").fetchall() == [("empty",)]


def test_viewers_cannot_import_when_an_editor_passcode_is_set(db_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["editor_passcode"] = "s3cret"
    at.run()
    at.switch_page("pages/upload.py").run()
    assert at.file_uploader[0].disabled
    assert at.button(key="upload.empty").disabled
    assert any("editor" in i.value.lower() for i in at.info)
    # With the passcode typed in the sidebar, the same session may upload.
    at.sidebar.text_input(key="access.passcode").input("wrong")
    at.sidebar.button[0].click().run()
    assert at.file_uploader[0].disabled
    at.sidebar.text_input(key="access.passcode").input("s3cret")
    at.sidebar.button[0].click().run()
    assert not at.file_uploader[0].disabled
