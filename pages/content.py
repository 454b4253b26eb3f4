"""Content view: per-post rates against benchmarks, formats, the change-the-format signal,
publishing time, new vs returning users and the communication index per account."""
import altair as alt
import pandas as pd
import streamlit as st

from metrics import content, indices
from ui import format as fmt
from ui.budget_tables import code_label, display_frame, run, show_table
from ui.labels import t
from ui.shell import current_period

ALL = "__all__"


def format_text(code):
    return code_label("content.format", code, missing=t("content.format.unknown"))


def original_text(flag):
    if flag is None or pd.isna(flag):
        return t("content.original.unknown")
    return t("content.original.yes") if flag else t("content.original.no")


def against(benchmark):
    """A rate formatted with ▲ (at or above the benchmark) or ▼ (below)."""
    def render(value):
        if value is None:
            return "–"
        return f"{fmt.pct(value)} {'▲' if value >= benchmark else '▼'}"
    return render


def rate_delta(now, before):
    if now is None or before is None:
        return None
    return t("content.points", value=fmt.number((now - before) * 100, 1, ""))


st.title(t("nav.content"))
chosen = current_period()
previous = chosen.previous()
st.caption(t("content.period", current=chosen.label(), previous=previous.label()))

platform_list = run(content.platforms)
if not platform_list:
    st.info(t("content.empty"), icon=":material/info:")
    st.stop()
choice = st.selectbox(t("content.platform"), [ALL, *platform_list], key="content.platform",
                      format_func=lambda p: t("content.all_platforms") if p == ALL else p)
platform = None if choice == ALL else choice

now = run(content.overall_rates, chosen.start, chosen.end, platform)
before = run(content.overall_rates, previous.start, previous.end, platform)

tab_rates, tab_formats, tab_timing, tab_users, tab_index = st.tabs(
    [t("content.tab.rates"), t("content.tab.formats"), t("content.tab.timing"), t("content.tab.users"),
     t("content.tab.index")])

# ------------------------------------------------------------------ rates and posts
with tab_rates:
    if not now:
        st.info(t("content.no_posts_period"), icon=":material/info:")
    else:
        cols = st.columns(5)
        cols[0].metric(t("content.kpi.posts"), fmt.count(now["posts"]),
                       delta=None if not before else fmt.count(now["posts"] - before["posts"]))
        specs = [("read_rate", content.READ_RATE_BENCHMARK), ("forward_rate", content.FORWARD_RATE_BENCHMARK),
                 ("favourite_rate", None), ("engagement_rate", None)]
        for col, (name, bench) in zip(cols[1:], specs):
            help_text = t(f"content.def.{name}")
            if bench is not None:
                help_text += " " + t("content.benchmark", value=fmt.pct(bench))
            col.metric(t(f"content.kpi.{name}"), fmt.pct(now.get(name)),
                       delta=rate_delta(now.get(name), before.get(name) if before else None), help=help_text)
        st.caption(t("content.denominators",
                     delivered=fmt.count(now.get("read_rate_base")), readers=fmt.count(now.get("forward_rate_base")),
                     views=fmt.count(now.get("engagement_rate_base"))))
        for name, bench in specs[:2]:
            value = now.get(name)
            if value is not None:
                key = "content.above" if value >= bench else "content.below"
                st.caption(t(key, rate=t(f"content.kpi.{name}"), value=fmt.pct(value), benchmark=fmt.pct(bench)))

        st.subheader(t("content.posts_header"))
        posts = run(content.post_table, chosen.start, chosen.end, platform)
        posts = posts.assign(format=[format_text(f) for f in posts["format"]],
                             is_original=[original_text(o) for o in posts["is_original"]])
        show_table(posts, [
            ("published_at", "content.col.published", "datetime"), ("platform", "content.col.platform", "text"),
            ("account", "content.col.account", "text"), ("title", "content.col.title", "text"),
            ("format", "content.col.format", "text"), ("is_original", "content.col.original", "text"),
            ("views", "content.col.views", "count"),
            ("read_rate", "content.col.read_rate", against(content.READ_RATE_BENCHMARK)),
            ("forward_rate", "content.col.forward_rate", against(content.FORWARD_RATE_BENCHMARK)),
            ("favourite_rate", "content.col.favourite_rate", "pct"),
            ("engagement_rate", "content.col.engagement_rate", "pct"),
            ("followers_new", "content.col.followers_new", "count"),
            ("follow_conversion", "content.col.follow_conversion", "pct")])
        st.caption(t("content.rates_rule"))

# ------------------------------------------------------------------ formats and the change-the-format signal
RATE_COLUMNS = [("posts", "content.col.posts", "count"), ("prev_posts", "content.col.prev_posts", "count"),
                ("views", "content.col.views", "count"), ("prev_views", "content.col.prev_views", "count"),
                ("read_rate", "content.col.read_rate", "pct"), ("prev_read_rate", "content.col.prev_read_rate", "pct"),
                ("forward_rate", "content.col.forward_rate", "pct"),
                ("prev_forward_rate", "content.col.prev_forward_rate", "pct"),
                ("favourite_rate", "content.col.favourite_rate", "pct"),
                ("engagement_rate", "content.col.engagement_rate", "pct"),
                ("prev_engagement_rate", "content.col.prev_engagement_rate", "pct"),
                ("follow_conversion", "content.col.follow_conversion", "pct")]
with tab_formats:
    by_format = run(content.rates_compared, chosen.start, chosen.end, previous.start, previous.end, "format", platform)
    if by_format.empty:
        st.info(t("content.no_posts_period"), icon=":material/info:")
    else:
        st.subheader(t("content.by_format"))
        by_format = by_format.assign(grp=[format_text(g) for g in by_format["grp"]])
        show_table(by_format, [("grp", "content.col.format", "text"), *RATE_COLUMNS])
        chart_data = by_format.loc[by_format["engagement_rate"].notna(), ["grp", "engagement_rate"]]
        if not chart_data.empty:
            chart_data = chart_data.astype({"engagement_rate": float})
            st.altair_chart(alt.Chart(chart_data).mark_bar().encode(
                x=alt.X("grp:N", title=t("content.col.format")),
                y=alt.Y("engagement_rate:Q", title=t("content.axis.engagement_pct"), axis=alt.Axis(format=".1%")),
                tooltip=[alt.Tooltip("grp:N", title=t("content.col.format")),
                         alt.Tooltip("engagement_rate:Q", title=t("content.axis.engagement_pct"), format=".1%")],
            ).properties(title=t("content.chart.engagement_by_format"), height=260), width="stretch")
        st.subheader(t("content.by_original"))
        by_orig = run(content.rates_compared, chosen.start, chosen.end, previous.start, previous.end,
                      "is_original", platform)
        by_orig = by_orig.assign(grp=[original_text(g) for g in by_orig["grp"]])
        show_table(by_orig, [("grp", "content.col.original", "text"), *RATE_COLUMNS])

    st.subheader(t("content.signal_header"))
    st.caption(t("content.signal_rule", multiple=fmt.number(content.SIGNAL_READS_MULTIPLE, 0),
                 margin=fmt.pct(content.SIGNAL_CONVERSION_MARGIN - 1), min_posts=content.SIGNAL_MIN_POSTS))
    if not run(content.has_post_conversion, chosen.start, chosen.end, platform):
        st.info(t("content.signal_no_data"), icon=":material/info:")
    else:
        signals = run(content.format_signals, chosen.start, chosen.end, platform)
        if signals.empty:
            st.success(t("content.signal_none"), icon=":material/check_circle:")
        else:
            signals = signals.assign(format=[format_text(f) for f in signals["format"]],
                                     suggestion=[code_label("content.suggest", s) for s in signals["suggestion"]])
            show_table(signals, [
                ("published_at", "content.col.published", "datetime"), ("account", "content.col.account", "text"),
                ("title", "content.col.title", "text"), ("format", "content.col.format", "text"),
                ("views", "content.col.views", "count"), ("median_views", "content.col.median_views", "count"),
                ("reads_multiple", "content.col.reads_multiple", lambda v: fmt.number(v, 1, "×")),
                ("follow_conversion", "content.col.follow_conversion", "pct"),
                ("account_conversion", "content.col.account_conversion", "pct"),
                ("suggestion", "content.col.suggestion", "text")])

# ------------------------------------------------------------------ publishing time
WEEKDAYS = {i: t(f"content.weekday.{i}") for i in range(1, 8)}
with tab_timing:
    start, end = content.timing_window(chosen.end)
    st.caption(t("content.timing_rule", weeks=content.TIMING_WEEKS, start=fmt.date(start), end=fmt.date(end),
                 min_posts=content.TIMING_MIN_POSTS))
    best = run(content.best_times, chosen.end, platform)
    if not best["posts"]:
        st.info(t("content.timing_none"), icon=":material/info:")
    else:
        c1, c2 = st.columns(2)
        c1.metric(t("content.best_weekday"), WEEKDAYS.get(best["weekday"], "–"),
                  help=t("content.best_help", lift=fmt.number(best["weekday_lift"], 2, "×"),
                         posts=fmt.count(best["weekday_posts"])))
        c2.metric(t("content.best_hour"),
                  "–" if best["hour"] is None else f"{int(best['hour']):02d}:00",
                  help=t("content.best_help", lift=fmt.number(best["hour_lift"], 2, "×"),
                         posts=fmt.count(best["hour_posts"])))
        if best["weekday"] is None:
            st.caption(t("content.timing_few", posts=fmt.count(best["posts"]), min_posts=content.TIMING_MIN_POSTS))
        grid = run(content.timing, chosen.end, platform)
        grid = grid.assign(weekday_name=[WEEKDAYS[int(d)] for d in grid["weekday"]])
        st.altair_chart(alt.Chart(grid).mark_rect().encode(
            x=alt.X("hour:O", title=t("content.axis.hour")),
            y=alt.Y("weekday_name:N", title=t("content.axis.weekday"), sort=list(WEEKDAYS.values())),
            color=alt.Color("lift:Q", title=t("content.axis.lift"), scale=alt.Scale(scheme="blues")),
            tooltip=[alt.Tooltip("weekday_name:N", title=t("content.axis.weekday")),
                     alt.Tooltip("hour:O", title=t("content.axis.hour")),
                     alt.Tooltip("posts:Q", title=t("content.col.posts")),
                     alt.Tooltip("views_per_post:Q", title=t("content.axis.views_per_post"), format=",.0f"),
                     alt.Tooltip("lift:Q", title=t("content.axis.lift"), format=".2f")],
        ).properties(title=t("content.chart.timing"), height=260), width="stretch")

# ------------------------------------------------------------------ new vs returning users
with tab_users:
    st.caption(t("content.users_rule"))
    users = run(content.new_vs_returning, chosen.start, chosen.end)
    if users.empty:
        st.info(t("content.users_none"), icon=":material/info:")
    else:
        long = users.melt(id_vars="date", value_vars=["new_users", "returning_users"], var_name="kind",
                          value_name="users")
        long["kind"] = long["kind"].map({"new_users": t("content.users_new"),
                                         "returning_users": t("content.users_returning")})
        st.altair_chart(alt.Chart(long).mark_bar().encode(
            x=alt.X("date:T", title=t("content.axis.date")),
            y=alt.Y("users:Q", title=t("content.axis.users"), stack="zero"),
            color=alt.Color("kind:N", title=None),
            tooltip=[alt.Tooltip("date:T", title=t("content.axis.date")), alt.Tooltip("kind:N", title=""),
                     alt.Tooltip("users:Q", title=t("content.axis.users"), format=",")],
        ).properties(title=t("content.chart.users"), height=280), width="stretch")
        table = display_frame(users, [("date", "content.axis.date", "date"),
                                      ("new_users", "content.users_new", "count"),
                                      ("returning_users", "content.users_returning", "count")])
        st.dataframe(table.set_index(t("content.axis.date")).T, width="stretch")

# ------------------------------------------------------------------ communication index
with tab_index:
    st.markdown(t("content.wci_rule", formula=indices.WCI_FORMULA))
    wci = run(indices.indices_compared, chosen.start, chosen.end, previous.start, previous.end)
    if wci.empty:
        st.info(t("content.no_posts_period"), icon=":material/info:")
    else:
        show_table(wci, [("platform", "content.col.platform", "text"), ("account", "content.col.account", "text"),
                         ("posts", "content.col.posts", "count"), ("reads", "content.col.views", "count"),
                         ("likes", "content.col.likes", "count"), ("forwards", "content.col.forwards", "count"),
                         ("o", "content.col.block_o", "number2"), ("a", "content.col.block_a", "number2"),
                         ("h", "content.col.block_h", "number2"), ("p", "content.col.block_p", "number2"),
                         ("wci", "content.col.wci", "number"), ("prev_wci", "content.col.prev_wci", "number"),
                         ("bci", "content.col.bci", "number"), ("prev_bci", "content.col.prev_bci", "number")])
    st.caption(t("content.bci_rule", formula=indices.BCI_FORMULA))
