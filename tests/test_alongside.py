"""Work alongside: a second cursor in a worker thread, its result or its error handed back, the
caller's batch session not shared, the cursor closed at the end; and the stand-up and review
built that way equal the same parts built one after the other."""
import threading

import duckdb
import pytest

from metrics import catalog_batch, review, standup
from metrics.alongside import alongside


def test_the_work_runs_on_its_own_cursor_in_another_thread(con):
    con.execute("CREATE TABLE t AS SELECT 42 AS x")
    kept = {}

    def work(cur, add):
        kept["cursor"] = cur
        return threading.get_ident(), cur.execute("SELECT x + ? FROM t", [add]).fetchone()[0], cur is con

    with alongside(con, work, 1) as future:
        thread, value, same = future.result()
    assert thread != threading.get_ident() and value == 43 and not same
    with pytest.raises(duckdb.ConnectionException):
        kept["cursor"].execute("SELECT 1")          # closed when the block ended


def test_an_error_of_the_work_reaches_the_caller(con):
    def work(cur):
        cur.execute("SELECT * FROM no_such_table")

    with alongside(con, work) as future:
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            future.result()


def test_the_callers_batch_session_is_not_shared(con):
    with catalog_batch.session():
        assert catalog_batch._SESSION.active
        with alongside(con, lambda cur: catalog_batch._SESSION.active) as future:
            assert future.result() is False


def test_the_review_and_standup_equal_their_parts_built_in_turn(demo_db):
    import datetime as dt

    from store import connection
    con = connection.cursor(demo_db)
    today = dt.date.today()
    week = review.default_week(today)
    pack = review.pack(con, week, today)
    assert len(pack.goals) and len(pack.kpis)
    assert pack.goals.equals(review.goals_week(con, week, today))
    assert pack.kpis.equals(review.kpi_week(con, week, today))
    board = standup.board(con, today)
    alone = standup.goal_weeks(con, today, standup.last_complete_week(today), standup.week_of(today))
    assert len(board.goals) and board.goals.equals(alone)


def test_inside_a_transaction_the_work_runs_on_the_callers_cursor_and_sees_its_writes(con):
    from store import connection
    con.execute("CREATE TABLE t (x INTEGER)")
    with connection.transaction(con):
        con.execute("INSERT INTO t VALUES (1), (2)")
        with alongside(con, lambda cur: (threading.get_ident(), cur.execute("SELECT sum(x) FROM t").fetchone()[0])) \
                as future:
            assert future.result() == (threading.get_ident(), 3)
        with alongside(con, lambda cur: cur.execute("SELECT * FROM no_such_table")) as future:
            with pytest.raises(duckdb.CatalogException):
                future.result()
    assert not connection.in_transaction()


def test_batched_sums_inside_a_transaction_see_its_rows(con):
    import datetime as dt

    from metrics import catalog
    from store import connection
    day = dt.date(2026, 3, 2)
    with connection.transaction(con):
        con.execute("INSERT INTO account_daily (platform, account, date, followers_new, posts) VALUES "
                    "('weibo', 'A1', ?, 7, 1), ('weibo', 'A2', ?, 5, 2)", [day, day])
        asks = [catalog_batch.Ask("new_follows", day, day),
                catalog_batch.Ask("new_follows", day, day, catalog.Scope(accounts=[("weibo", "A2")])),
                catalog_batch.Ask("posts", day, day)]
        got = catalog_batch.values(con, asks)
    assert [got[a] for a in asks] == [12.0, 5.0, 3.0]


def test_calls_sharing_the_context_keep_values_for_the_callers_session(con):
    from metrics.alongside import alongside_all

    def work(cur, i):
        return threading.get_ident(), catalog_batch._SESSION.kept(("test", i), lambda: cur.execute(
            "SELECT ? * 10", [i]).fetchone()[0])

    with catalog_batch.session():
        with alongside_all(con, [(work, 1), (work, 2)], share_context=True) as futures:
            results = [f.result() for f in futures]
        assert [r[1] for r in results] == [10, 20]
        assert all(r[0] != threading.get_ident() for r in results)
        assert catalog_batch._SESSION.peek(("test", 1)) == 10 and catalog_batch._SESSION.peek(("test", 2)) == 20
        with alongside_all(con, [(work, 3)], share_context=True) as (one,):   # one call: no thread needed
            assert one.result() == (threading.get_ident(), 30)
