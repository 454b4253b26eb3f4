"""Channels view: follows, share, cost and conversion per channel, stability and the burst point."""
import streamlit as st

from metrics import channels
from ui import charts
from ui import format as fmt
from ui.budget_tables import code_labels, run, show_table
from ui.labels import t
from ui.shell import current_period


def rating_texts(indices) -> list[str]:
    """The stability rating of each index, in words."""
    return code_labels("channels.rating", [channels.stability_rating(i) for i in indices])


def rating_text(index) -> str:
    return rating_texts([index])[0]


def _recommendation(chosen) -> None:
    """The burst point and where to move money from."""
    rec = run(channels.recommendation, chosen.start, chosen.end)
    st.header(t("channels.burst_header"))
    if rec.burst is None:
        st.info(t("channels.no_burst"), icon=":material/info:")
    else:
        burst = rec.burst
        if rec.basis == "cost_and_stability":
            st.success(t("channels.burst", channel=burst["channel"], share=fmt.pct(burst["share"]),
                         followers=fmt.count(burst["followers"]), cpf=fmt.money(burst["cost_per_follower"]),
                         board=fmt.money(rec.board_cost_per_follower), stability=fmt.number(burst["stability"], 0),
                         rating=rating_text(burst["stability"]), per1000=fmt.count(rec.followers_per_1000_to)),
                       icon=":material/rocket_launch:")
        else:
            st.success(t("channels.burst_free", channel=burst["channel"], share=fmt.pct(burst["share"]),
                         followers=fmt.count(burst["followers"]), stability=fmt.number(burst["stability"], 0),
                         rating=rating_text(burst["stability"])), icon=":material/rocket_launch:")
        if rec.move_from is not None:
            src = rec.move_from
            st.warning(t("channels.move", source=src["channel"], target=burst["channel"],
                         src_cpf=fmt.money(src["cost_per_follower"]), src_stability=fmt.number(src["stability"], 0),
                         src_spend=fmt.money(src["spend"]), src_per1000=fmt.count(rec.followers_per_1000_from),
                         per1000=fmt.count(rec.followers_per_1000_to)), icon=":material/swap_horiz:")
        elif rec.basis == "cost_and_stability":
            st.caption(t("channels.no_move"))
    with st.expander(t("channels.score_help_title")):
        st.markdown(t("channels.score_help", min_share=fmt.pct(channels.BURST_MIN_SHARE),
                      steady=fmt.number(channels.STEADY_FROM, 0)))


def _channel_table(table) -> None:
    """Every channel's figures, then the ranking behind the recommendation."""
    st.header(t("channels.table_header"))
    shown = table.assign(rating=rating_texts(table["stability"]), kind=code_labels("channels.kind", table["kind"]))
    show_table(shown, [
        ("channel", "channels.col.channel", "text"), ("kind", "channels.col.kind", "text"),
        ("followers", "channels.col.followers", "count"), ("prev_followers", "channels.col.prev_followers", "count"),
        ("followers_change", "channels.col.change", "change"), ("share", "channels.col.share", "pct"),
        ("spend", "channels.col.spend", "money"), ("cost_per_follower", "channels.col.cpf", "money"),
        ("prev_cost_per_follower", "channels.col.prev_cpf", "money"),
        ("registrations", "channels.col.registrations", "count"),
        ("reg_conversion", "channels.col.reg_conversion", "pct"),
        ("orders", "channels.col.orders", "count"), ("order_conversion", "channels.col.order_conversion", "pct"),
        ("stability", "channels.col.stability", lambda v: fmt.number(v, 0)),
        ("prev_stability", "channels.col.prev_stability", lambda v: fmt.number(v, 0)),
        ("rating", "channels.col.rating", "text")])
    st.caption(t("channels.definitions"))
    with st.expander(t("channels.stability_help_title"), expanded=False):
        st.markdown(t("channels.stability_help", steady=fmt.number(channels.STEADY_FROM, 0),
                      uneven=fmt.number(channels.UNEVEN_FROM, 0)))

    st.subheader(t("channels.ranking_header"))
    ranked = table[table["followers"].notna() | table["spend"].notna()].reset_index(drop=True)
    ranked = ranked.assign(rank=range(1, len(ranked) + 1))
    show_table(ranked, [("rank", "channels.col.rank", "count"), ("channel", "channels.col.channel", "text"),
                        ("score", "channels.col.score", lambda v: fmt.number(v, 1)),
                        ("stability", "channels.col.stability", lambda v: fmt.number(v, 0)),
                        ("cost_advantage", "channels.col.cost_advantage", lambda v: fmt.number(v, 2, "×")),
                        ("cost_per_follower", "channels.col.cpf", "money"), ("share", "channels.col.share", "pct"),
                        ("active_share", "channels.col.active_share", "pct"),
                        ("cv", "channels.col.cv", "number2")])


DAILY_HEIGHT = 380   # room for a legend of ten channels beside the plot


def _charts(table, chosen, has_figures: bool) -> None:
    """Daily inflow and weekly follows of the channels picked."""
    if has_figures:
        names = table.loc[table["followers"].notna(), "channel"].tolist()
        picked = st.multiselect(t("channels.pick"), names, default=names, key="channels.pick")
        daily = run(channels.daily_inflow, chosen.start, chosen.end)
        daily = daily[daily["channel"].isin(picked)]
        if not daily.empty:
            charts.show(charts.chart({"type": "line", "point": True}, {
                "x": charts.field("date:T", t("channels.axis.date")),
                "y": charts.field("followers_new:Q", t("channels.axis.daily_follows")),
                "color": charts.field("channel:N", t("channels.col.channel")),
                "tooltip": [charts.field("date:T", t("channels.axis.date")),
                            charts.field("channel:N", t("channels.col.channel")),
                            charts.field("followers_new:Q", t("channels.axis.daily_follows"), format=",")],
            }, title=t("channels.chart.daily"), height=DAILY_HEIGHT), daily)
        weekly = run(channels.weekly_follows, chosen.end, 8)
        weekly = weekly[weekly["channel"].isin(picked)]
        if not weekly.empty:
            charts.show(charts.chart("bar", {
                "x": charts.field("week:T", t("channels.axis.week"), timeUnit="yearmonthdate"),
                "y": charts.field("followers:Q", t("channels.axis.weekly_follows"), stack="zero"),
                "color": charts.field("channel:N", t("channels.col.channel")),
                "tooltip": [charts.field("week:T", t("channels.axis.week")),
                            charts.field("channel:N", t("channels.col.channel")),
                            charts.field("followers:Q", t("channels.axis.weekly_follows"), format=",")],
            }, title=t("channels.chart.weekly"), height=320), weekly)
    else:
        st.info(t("channels.no_figures"), icon=":material/info:")


def _sources(chosen, previous) -> None:
    """The platforms' own traffic sources."""
    st.header(t("channels.sources_header"))
    sources = run(channels.traffic_sources, chosen.start, chosen.end, previous.start, previous.end)
    if sources.empty:
        st.caption(t("channels.no_sources"))
    else:
        show_table(sources, [("platform", "channels.col.platform", "platform"), ("account", "channels.col.account", "text"),
                             ("source", "channels.col.source", "text"), ("readers", "channels.col.readers", "count"),
                             ("share_readers", "channels.col.share_readers", "pct"),
                             ("prev_readers", "channels.col.prev_readers", "count"),
                             ("readers_change", "channels.col.readers_change", "change"),
                             ("reads", "channels.col.reads", "count"), ("share", "channels.col.share_reads", "pct"),
                             ("prev_reads", "channels.col.prev_reads", "count"),
                             ("reads_change", "channels.col.reads_change", "change")])


def render() -> None:
    """The Channels view."""
    st.title(t("nav.channels"))
    chosen = current_period()
    previous = chosen.previous()
    st.caption(t("channels.period", current=chosen.label(), previous=previous.label()))

    table = run(channels.channel_table, chosen.start, chosen.end, previous.start, previous.end)
    has_figures = not table.empty and table["followers"].notna().any()
    if table.empty:
        st.info(t("channels.empty"), icon=":material/info:")
        return
    _recommendation(chosen)
    _channel_table(table)
    _charts(table, chosen, has_figures)
    _sources(chosen, previous)
