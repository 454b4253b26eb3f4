"""Content view: per-post rates against benchmarks, formats, the change-the-format signal,
publishing time, new vs returning users and the communication index per account.

Only the open tab runs (``st.tabs(on_change="rerun")``). Lists that grow with the team (posts,
signals, accounts) show one page, sorted and cut in the store, and say how many there are.
"""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from metrics import content, indices
from store import connection
from ui import charts, db, paging
from ui import format as fmt
from ui.budget_tables import code_labels, display_frame, run, show_table
from ui.labels import catalogue, platform_name, t
from ui.shell import current_period

ALL = "__all__"
PAGE_SIZE = 50
POSTS_PAGE = "content.posts_page"
SIGNALS_PAGE = "content.signals_page"
INDEX_PAGE = "content.index_page"
WEEKDAY_NUMBERS = range(1, 8)

RATE_COLUMNS = [("posts", "content.col.posts", "count"), ("prev_posts", "content.col.prev_posts", "count"),
                ("views", "content.col.views", "count"), ("prev_views", "content.col.prev_views", "count"),
                ("read_rate", "content.col.read_rate", "pct"), ("prev_read_rate", "content.col.prev_read_rate", "pct"),
                ("forward_rate", "content.col.forward_rate", "pct"),
                ("prev_forward_rate", "content.col.prev_forward_rate", "pct"),
                ("favourite_rate", "content.col.favourite_rate", "pct"),
                ("engagement_rate", "content.col.engagement_rate", "pct"),
                ("prev_engagement_rate", "content.col.prev_engagement_rate", "pct"),
                ("follow_conversion", "content.col.follow_conversion", "pct")]


def format_texts(codes) -> list[str]:
    return code_labels("content.format", codes, missing=t("content.format.unknown"))


def original_texts(flags) -> list[str]:
    """True / False / missing → 'original' / 'not original' / 'unknown' (each label looked up once)."""
    texts = {True: t("content.original.yes"), False: t("content.original.no")}
    unknown = t("content.original.unknown")
    return [unknown if flag is None or flag is pd.NA or flag != flag else texts[bool(flag)] for flag in flags]


def against(benchmark: float):
    """A column of rates formatted with ▲ (at or above the benchmark) or ▼ (below)."""
    def render(value):
        if value is None:
            return "–"
        return f"{fmt.pct(value)} {'▲' if value >= benchmark else '▼'}"
    return render


def rate_delta(now, before) -> tuple[str | None, str]:
    """The change of a rate in percentage points, signed with one decimal ('+0.7 pts',
    '-0.4 pts'), and the arrow ``st.metric`` draws: none for a change that rounds to nothing
    ('0.0 pts', never '-0.0 pts' under a red arrow)."""
    if now is None or before is None:
        return None, "auto"
    points = round((now - before) * 100, 1)
    if not points:
        return t("content.points", value="0.0"), "off"
    return t("content.points", value=f"{points:+,.1f}"), "auto"


POST_COLUMNS = [
    ("published_at", "content.col.published", "datetime"), ("platform", "content.col.platform", "platform"),
    ("account", "content.col.account", "text"), ("title", "content.col.title", "text"),
    ("format", "content.col.format", "text"), ("is_original", "content.col.original", "text"),
    ("views", "content.col.views", "count"),
    ("read_rate", "content.col.read_rate", against(content.READ_RATE_BENCHMARK)),
    ("forward_rate", "content.col.forward_rate", against(content.FORWARD_RATE_BENCHMARK)),
    ("favourite_rate", "content.col.favourite_rate", "pct"),
    ("engagement_rate", "content.col.engagement_rate", "pct"),
    ("followers_new", "content.col.followers_new", "count"),
    ("follow_conversion", "content.col.follow_conversion", "pct")]


# ------------------------------------------------------------------ CSV of every post
def _safe_cell(value):
    """Text starting like a formula is written with a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def posts_csv_maker(path: str, start, end, platform, sort: str, ascending: bool, search: str | None,
                    headers: dict[str, str], format_names: dict[str, str]):
    """A callable that builds the CSV of every post of the list (run when the button is pressed,
    on a thread of its own: it opens its own cursor and uses the labels resolved now)."""
    def build() -> bytes:
        frame = content.post_table(connection.cursor(path), start, end, platform, sort, ascending, search)
        frame = frame.assign(format=[format_names.get(f, f) for f in frame["format"]])
        frame = frame[list(headers)].convert_dtypes().rename(columns=headers)
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                frame[column] = [_safe_cell(v) for v in frame[column]]
        out = io.StringIO()
        frame.to_csv(out, index=False)
        return out.getvalue().encode("utf-8-sig")
    return build


# ------------------------------------------------------------------ tabs
def _posts(chosen, platform, total_in_period: int) -> None:
    st.subheader(t("content.posts_header"))
    c1, c2, c3, c4 = st.columns([3, 2, 4, 2], vertical_alignment="bottom")
    sort = c1.selectbox(t("content.sort"), list(content.POST_SORTS), key="content.sort",
                        format_func=lambda s: t(f"content.sort.{s}"), on_change=paging.reset, args=(POSTS_PAGE,))
    ascending = c2.toggle(t("content.ascending"), key="content.ascending", on_change=paging.reset,
                          args=(POSTS_PAGE,))
    search = (c3.text_input(t("content.search"), key="content.search", on_change=paging.reset, args=(POSTS_PAGE,),
                            placeholder=t("content.search_hint")) or "").strip() or None
    total = run(content.post_count, chosen.start, chosen.end, platform, search) if search else total_in_period
    if total == 0:
        st.info(t("content.no_match", search=search or ""), icon=":material/search_off:")
        return
    page = paging.pager(POSTS_PAGE, total, PAGE_SIZE, "content.page", container=c4)
    posts = run(content.post_table, chosen.start, chosen.end, platform, sort, ascending, search, page.limit,
                page.offset)
    posts = posts.assign(format=format_texts(posts["format"]), is_original=original_texts(posts["is_original"]))
    st.caption(t("content.showing", first=fmt.count(page.first), last=fmt.count(page.last), total=fmt.count(total),
                 order=t(f"content.sort.{sort}"), direction=t("content.order_asc" if ascending else "content.order_desc")))
    show_table(posts, POST_COLUMNS)
    headers = {"post_id": t("content.col.post_id"), "url": t("content.col.url")}
    headers.update({c: t(label) for c, label, _ in POST_COLUMNS})
    format_names = {key.rpartition(".")[2]: t(key) for key in catalogue() if key.startswith("content.format.")}
    st.download_button(t("content.download_posts", total=fmt.count(total)),
                       data=posts_csv_maker(db.db_path(), chosen.start, chosen.end, platform, sort, ascending,
                                            search, headers, format_names),
                       file_name=f"posts_{chosen.start.isoformat()}_{chosen.end.isoformat()}.csv", mime="text/csv",
                       key="content.download_posts", icon=":material/download:")


def _rates_tab(chosen, previous, platform, now, before) -> None:
    if not now:
        st.info(t("content.no_posts_period"), icon=":material/info:")
        return
    cols = st.columns(5)
    change = None if not before else now["posts"] - before["posts"]
    cols[0].metric(t("content.kpi.posts"), fmt.count(now["posts"]),
                   delta=None if change is None else f"{change:+,}" if change else "0",
                   delta_arrow="off" if change == 0 else "auto")
    specs = [("read_rate", content.READ_RATE_BENCHMARK), ("forward_rate", content.FORWARD_RATE_BENCHMARK),
             ("favourite_rate", None), ("engagement_rate", None)]
    for col, (name, bench) in zip(cols[1:], specs):
        help_text = t(f"content.def.{name}")
        if bench is not None:
            help_text += " " + t("content.benchmark", value=fmt.pct(bench))
        delta, arrow = rate_delta(now.get(name), before.get(name) if before else None)
        col.metric(t(f"content.kpi.{name}"), fmt.pct(now.get(name)), delta=delta, delta_arrow=arrow, help=help_text)
    st.caption(t("content.denominators",
                 delivered=fmt.count(now.get("read_rate_base")), readers=fmt.count(now.get("forward_rate_base")),
                 views=fmt.count(now.get("engagement_rate_base"))))
    for name, bench in specs[:2]:
        value = now.get(name)
        if value is not None:
            key = "content.above" if value >= bench else "content.below"
            st.caption(t(key, rate=t(f"content.kpi.{name}"), value=fmt.pct(value), benchmark=fmt.pct(bench)))
    _posts(chosen, platform, int(now["posts"]))
    st.caption(t("content.rates_rule"))


def _formats_tab(chosen, previous, platform) -> None:
    by_format = run(content.rates_compared, chosen.start, chosen.end, previous.start, previous.end, "format", platform)
    if by_format.empty:
        st.info(t("content.no_posts_period"), icon=":material/info:")
    else:
        st.subheader(t("content.by_format"))
        by_format = by_format.assign(grp=format_texts(by_format["grp"]))
        show_table(by_format, [("grp", "content.col.format", "text"), *RATE_COLUMNS])
        chart_data = by_format.loc[by_format["engagement_rate"].notna(), ["grp", "engagement_rate"]]
        if not chart_data.empty:
            chart_data = chart_data.astype({"engagement_rate": float})
            axis = t("content.axis.engagement_pct")
            charts.show(charts.chart("bar", {
                "x": charts.field("grp:N", t("content.col.format")),
                "y": charts.field("engagement_rate:Q", axis, axis={"format": ".1%"}),
                "tooltip": [charts.field("grp:N", t("content.col.format")),
                            charts.field("engagement_rate:Q", axis, format=".1%")],
            }, title=t("content.chart.engagement_by_format"), height=260), chart_data)
        st.subheader(t("content.by_original"))
        by_orig = run(content.rates_compared, chosen.start, chosen.end, previous.start, previous.end,
                      "is_original", platform)
        by_orig = by_orig.assign(grp=original_texts(by_orig["grp"]))
        show_table(by_orig, [("grp", "content.col.original", "text"), *RATE_COLUMNS])

    st.subheader(t("content.signal_header"))
    st.caption(t("content.signal_rule", multiple=fmt.number(content.SIGNAL_READS_MULTIPLE, 0),
                 margin=fmt.pct(content.SIGNAL_CONVERSION_MARGIN - 1), min_posts=content.SIGNAL_MIN_POSTS))
    if not run(content.has_post_conversion, chosen.start, chosen.end, platform):
        st.info(t("content.signal_no_data"), icon=":material/info:")
        return
    total = run(content.signal_count, chosen.start, chosen.end, platform)
    if not total:
        st.success(t("content.signal_none"), icon=":material/check_circle:")
        return
    page = paging.pager(SIGNALS_PAGE, total, PAGE_SIZE, "content.page")
    signals = run(content.format_signals, chosen.start, chosen.end, platform, page.limit, page.offset)
    signals = signals.assign(format=format_texts(signals["format"]),
                             suggestion=code_labels("content.suggest", signals["suggestion"]))
    st.caption(t("content.signal_showing", first=fmt.count(page.first), last=fmt.count(page.last),
                 total=fmt.count(total)))
    show_table(signals, [
        ("published_at", "content.col.published", "datetime"), ("account", "content.col.account", "text"),
        ("title", "content.col.title", "text"), ("format", "content.col.format", "text"),
        ("views", "content.col.views", "count"), ("median_views", "content.col.median_views", "count"),
        ("reads_multiple", "content.col.reads_multiple", lambda v: fmt.number(v, 1, "×")),
        ("follow_conversion", "content.col.follow_conversion", "pct"),
        ("account_conversion", "content.col.account_conversion", "pct"),
        ("suggestion", "content.col.suggestion", "text")])


def _timing_tab(chosen, platform) -> None:
    weekdays = {i: t(f"content.weekday.{i}") for i in WEEKDAY_NUMBERS}
    start, end = content.timing_window(chosen.end)
    st.caption(t("content.timing_rule", weeks=content.TIMING_WEEKS, start=fmt.date(start), end=fmt.date(end),
                 min_posts=content.TIMING_MIN_POSTS))
    grid, best = run(content.timing_summary, chosen.end, platform)
    if not best["posts"]:
        st.info(t("content.timing_none"), icon=":material/info:")
        return
    c1, c2 = st.columns(2)
    c1.metric(t("content.best_weekday"), weekdays.get(best["weekday"], "–"),
              help=t("content.best_help", lift=fmt.number(best["weekday_lift"], 2, "×"),
                     posts=fmt.count(best["weekday_posts"])))
    c2.metric(t("content.best_hour"), "–" if best["hour"] is None else f"{int(best['hour']):02d}:00",
              help=t("content.best_help", lift=fmt.number(best["hour_lift"], 2, "×"),
                     posts=fmt.count(best["hour_posts"])))
    if best["weekday"] is None:
        st.caption(t("content.timing_few", posts=fmt.count(best["posts"]), min_posts=content.TIMING_MIN_POSTS))
    grid = grid.assign(weekday_name=grid["weekday"].map(weekdays))
    charts.show(charts.chart("rect", {
        "x": charts.field("hour:O", t("content.axis.hour"), axis={"labelAngle": 0}),
        "y": charts.field("weekday_name:N", t("content.axis.weekday"), sort=list(weekdays.values())),
        "color": charts.field("lift:Q", t("content.axis.lift"), scale={"scheme": "blues"}),
        "tooltip": [charts.field("weekday_name:N", t("content.axis.weekday")),
                    charts.field("hour:O", t("content.axis.hour")),
                    charts.field("posts:Q", t("content.col.posts")),
                    charts.field("views_per_post:Q", t("content.axis.views_per_post"), format=",.0f"),
                    charts.field("lift:Q", t("content.axis.lift"), format=".2f")],
    }, title=t("content.chart.timing"), height=260), grid)


def _users_tab(chosen) -> None:
    st.caption(t("content.users_rule"))
    users = run(content.new_vs_returning, chosen.start, chosen.end)
    if users.empty:
        st.info(t("content.users_none"), icon=":material/info:")
        return
    long = users.melt(id_vars="date", value_vars=["new_users", "returning_users"], var_name="kind",
                      value_name="users")
    long["kind"] = long["kind"].map({"new_users": t("content.users_new"),
                                     "returning_users": t("content.users_returning")})
    long["day"] = [fmt.date(d) for d in long["date"]]     # one labelled bar per day
    charts.show(charts.chart("bar", {
        "x": charts.field("day:O", t("content.axis.date"), axis={"labelAngle": 0}),
        "y": charts.field("users:Q", t("content.axis.users"), stack="zero"),
        "color": charts.field("kind:N", None),
        "tooltip": [charts.field("day:O", t("content.axis.date")), charts.field("kind:N", ""),
                    charts.field("users:Q", t("content.axis.users"), format=",")],
    }, title=t("content.chart.users"), height=280), long)
    table = display_frame(users, [("date", "content.axis.date", "date"),
                                  ("new_users", "content.users_new", "count"),
                                  ("returning_users", "content.users_returning", "count")])
    st.dataframe(table.set_index(t("content.axis.date")).T, width="stretch")


def _index_tab(chosen, previous) -> None:
    st.markdown(t("content.wci_rule", formula=indices.WCI_FORMULA))
    wci = run(indices.indices_compared, chosen.start, chosen.end, previous.start, previous.end)
    if wci.empty:
        st.info(t("content.no_posts_period"), icon=":material/info:")
    else:
        page = paging.pager(INDEX_PAGE, len(wci), PAGE_SIZE, "content.page")
        if page.pages > 1:
            st.caption(t("content.index_showing", first=fmt.count(page.first), last=fmt.count(page.last),
                         total=fmt.count(page.total)))
        show_table(wci.iloc[page.offset:page.offset + page.limit],
                   [("platform", "content.col.platform", "platform"), ("account", "content.col.account", "text"),
                    ("posts", "content.col.posts", "count"), ("reads", "content.col.views", "count"),
                    ("likes", "content.col.likes", "count"), ("forwards", "content.col.forwards", "count"),
                    ("o", "content.col.block_o", "number2"), ("a", "content.col.block_a", "number2"),
                    ("h", "content.col.block_h", "number2"), ("p", "content.col.block_p", "number2"),
                    ("wci", "content.col.wci", "number"), ("prev_wci", "content.col.prev_wci", "number"),
                    ("bci", "content.col.bci", "number"), ("prev_bci", "content.col.prev_bci", "number")])
    st.caption(t("content.bci_rule", formula=indices.BCI_FORMULA))


def render() -> None:
    """The Content view."""
    st.title(t("nav.content"))
    chosen = current_period()
    previous = chosen.previous()
    st.caption(t("content.period", current=chosen.label(), previous=previous.label()))

    platform_list = run(content.platforms)
    if not platform_list:
        st.info(t("content.empty"), icon=":material/info:")
        return
    choice = st.selectbox(t("content.platform"), [ALL, *platform_list], key="content.platform",
                          format_func=lambda p: t("content.all_platforms") if p == ALL else platform_name(p),
                          on_change=paging.reset, args=(POSTS_PAGE, SIGNALS_PAGE))
    platform = None if choice == ALL else choice

    tab_rates, tab_formats, tab_timing, tab_users, tab_index = st.tabs(
        [t("content.tab.rates"), t("content.tab.formats"), t("content.tab.timing"), t("content.tab.users"),
         t("content.tab.index")], key="content.tab", on_change="rerun")
    if tab_rates.open:
        with tab_rates:
            now = run(content.overall_rates, chosen.start, chosen.end, platform)
            before = run(content.overall_rates, previous.start, previous.end, platform)
            _rates_tab(chosen, previous, platform, now, before)
    if tab_formats.open:
        with tab_formats:
            _formats_tab(chosen, previous, platform)
    if tab_timing.open:
        with tab_timing:
            _timing_tab(chosen, platform)
    if tab_users.open:
        with tab_users:
            _users_tab(chosen)
    if tab_index.open:
        with tab_index:
            _index_tab(chosen, previous)
