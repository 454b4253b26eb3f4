"""Crafted rows for the meeting-view tests (every expected figure is worked out by hand).

Weibo account W of person "Ana" (role "Promotion manager"), daily figures from Mon 2 March
2026 to Wed 18 March 2026:

=====================  ==========  =========  ======  =======  =========
week                   new follows unfollows  posts   shares   comments
=====================  ==========  =========  ======  =======  =========
W1  2–8 March (7 d)    10 / day    2 / day    2 / day 20 / day 5 / day
W2  9–15 March (7 d)   20 / day    4 / day    3 / day 60 / day 6 / day
W3  16–18 March (3 d)  30 / day    1 / day    4 / day 40 / day 9 / day
=====================  ==========  =========  ======  =======  =========

followers_total = 1000 + the net follows to date (1 March: no row), so on 8 March it is
1000 + 7 × (10 − 2) = 1056 and on 15 March 1056 + 7 × (20 − 4) = 1168.
Person "Bo" (role "Operations") has no account and no KPI.

Ana's role KPI set:
- "Posts per week": posts, target 14 per week;
- "Forwards per post": forwards_per_post (shares ÷ posts), target 15;
- "Comments": comments, target 310 per month (March: 31 days → 10 a day).
"""
from __future__ import annotations

import datetime as dt

D = dt.date
W1 = (D(2026, 3, 2), D(2026, 3, 8))
W2 = (D(2026, 3, 9), D(2026, 3, 15))
W3 = (D(2026, 3, 16), D(2026, 3, 22))
LAST_DATA = D(2026, 3, 18)
TODAY = D(2026, 3, 20)          # a Friday; figures count up to yesterday (data stops on the 18th)
ACCOUNT = ("weibo", "W")


def _rows():
    total = 1000
    day = W1[0]
    while day <= LAST_DATA:
        if day <= W1[1]:
            new, lost, posts, shares, comments = 10, 2, 2, 20, 5
        elif day <= W2[1]:
            new, lost, posts, shares, comments = 20, 4, 3, 60, 6
        else:
            new, lost, posts, shares, comments = 30, 1, 4, 40, 9
        total += new - lost
        yield (*ACCOUNT, day, new, lost, new - lost, total, posts, shares, comments)
        day += dt.timedelta(days=1)


def build(con) -> dict:
    """Write the scenario; returns the ids (role and person)."""
    con.execute("BEGIN TRANSACTION")
    con.executemany("""INSERT INTO account_daily (platform, account, date, followers_new, followers_lost, followers_net,
                                                  followers_total, posts, shares, comments)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", list(_rows()))
    con.execute("INSERT INTO accounts (platform, account) VALUES (?, ?)", list(ACCOUNT))
    con.execute("""INSERT INTO roles (role_id, code, name, headcount) VALUES
                   (1, 'promotion_manager', 'Promotion manager', 1), (2, 'operations', 'Operations', 1)""")
    con.execute("""INSERT INTO people (person_id, name, role_id, start_date, active) VALUES
                   (1, 'Ana', 1, DATE '2026-01-01', TRUE), (2, 'Bo', 2, DATE '2026-01-01', TRUE)""")
    con.execute("INSERT INTO person_accounts VALUES (1, ?, ?)", list(ACCOUNT))
    con.execute("""INSERT INTO kpis (kpi_id, role_id, position, name, metric_id, scope, target, weight, direction, period)
                   VALUES (1, 1, 1, 'Posts per week', 'posts', 'person', 14, 40, 'higher', 'week'),
                          (2, 1, 2, 'Forwards per post', 'forwards_per_post', 'person', 15, 30, 'higher', 'month'),
                          (3, 1, 3, 'Comments', 'comments', 'person', 310, 30, 'higher', 'month')""")
    con.execute("COMMIT")
    return {"ana": 1, "bo": 2, "promotion": 1, "operations": 2}


def task(**overrides) -> dict:
    """A task for Ana over W2 (her accounts), with ``overrides``."""
    base = {"title": "Task", "owner_person_id": 1, "metric_id": "new_follows", "target": 100,
            "start_date": W2[0], "due_date": W2[1], "scope_kind": "person"}
    return {**base, **overrides}
