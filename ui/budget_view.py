"""Budget view: burn-up of each phase and line against plan, pace alerts, cost per result."""
import datetime as dt
import json

import pandas as pd
import streamlit as st

from metrics import budget
from ui import charts, period
from ui import format as fmt
from ui.budget_tables import code_labels, run, show_table
from ui.labels import t
from ui.shell import current_period

STATUS_ICON = {"on_track": ":material/check_circle:", "over": ":material/trending_up:",
               "under": ":material/trending_down:", "overspent": ":material/error:",
               "not_started": ":material/schedule:", "no_budget": ":material/help:",
               "unplanned": ":material/warning:"}


def burn_chart(curve: pd.DataFrame, title: str, burn) -> dict:
    """Planned, actual and projected cumulative spend, with today's band at the phase end.
    The three series are folded into one in the browser (Vega-Lite ``fold``), not in pandas."""
    names = {s: t(f"budget.series.{s}") for s in ("planned", "actual", "projected")}
    series = list(names.values())
    lines = charts.chart("line", {
        "x": charts.field("date:T", t("budget.axis.date")),
        "y": charts.field("amount:Q", t("budget.axis.cumulative")),
        "color": charts.field("series:N", None, scale={"domain": series, "range": ["#9e9e9e", "#1f77b4", "#ff7f0e"]}),
        "strokeDash": {"condition": {"test": f"datum.series === {json.dumps(names['projected'])}",
                                     "value": [6, 4]}, "value": [1, 0]},
        "tooltip": [charts.field("date:T", t("budget.axis.date")), charts.field("series:N", ""),
                    charts.field("amount:Q", t("budget.axis.cumulative"), format=",.2f")]}, dataset="curve")
    label = " : ".join(f"datum.code === {json.dumps(code)} ? {json.dumps(text)}" for code, text in names.items())
    lines["transform"] = [{"fold": list(names), "as": ["code", "amount"]}, {"filter": "datum.amount != null"},
                          {"calculate": f"{label} : datum.code", "as": "series"}]
    layers, datasets = [lines], {"curve": curve[["date", *names]]}
    if burn is not None and burn.budget:
        datasets["band"] = pd.DataFrame({"date": [curve["date"].iloc[-1]], "low": [burn.budget * burn.band_low],
                                         "high": [burn.budget * burn.band_high]})
        layers.append(charts.chart({"type": "rule", "strokeWidth": 8, "opacity": 0.35, "color": "#2ca02c"}, {
            "x": charts.field("date:T"), "y": charts.field("low:Q"), "y2": {"field": "high"},
            "tooltip": [charts.field("low:Q", t("budget.band_low"), format=",.0f"),
                        charts.field("high:Q", t("budget.band_high"), format=",.0f")]}, dataset="band"))
    return charts.layered(layers, datasets, title=title, height=320)


def yuan(x):
    """Whole yuan for the headline figures (they must fit a fifth of the screen)."""
    return "–" if x is None else "¥" + fmt.count(x)


def signed_yuan(x):
    if x is None:
        return None
    return ("+" if x >= 0 else "-") + yuan(abs(x))


def show_status(burn) -> None:
    text = t(f"budget.alert.{burn.status}", low=fmt.pct(burn.band_low), high=fmt.pct(burn.band_high),
             ratio=fmt.pct(burn.projected_ratio), to_land=fmt.money(burn.daily_to_land))
    if burn.status == "on_track":
        st.success(text, icon=STATUS_ICON[burn.status])
    elif burn.status in ("over", "overspent"):
        st.error(text, icon=STATUS_ICON[burn.status])
    elif burn.status == "under":
        st.warning(text, icon=STATUS_ICON[burn.status])
    else:
        st.info(text, icon=STATUS_ICON[burn.status])


COST_COLUMNS = [
    ("spend", "budget.col.spend", "money"), ("prev_spend", "budget.col.prev_spend", "money"),
    ("followers", "budget.col.followers", "count"),
    ("cost_per_follower", "budget.col.cost_per_follower", "money"),
    ("prev_cost_per_follower", "budget.col.prev_cost_per_follower", "money"),
    ("registrations", "budget.col.registrations", "count"),
    ("cost_per_registration", "budget.col.cost_per_registration", "money"),
    ("prev_cost_per_registration", "budget.col.prev_cost_per_registration", "money"),
    ("orders", "budget.col.orders", "count"),
    ("cost_per_order", "budget.col.cost_per_order", "money"),
    ("prev_cost_per_order", "budget.col.prev_cost_per_order", "money")]


def _phase_burn(phases: pd.DataFrame, limit: dt.date) -> None:
    """The burn-up of the chosen phase (it follows the period), its figures, alert and lines."""
    st.header(t("budget.burn_header"))
    if phases.empty:
        st.info(t("budget.no_phases"), icon=":material/info:")
        return
    ids = [int(x) for x in phases["phase_id"]]
    names = {r.phase_id: f"{r.name} ({fmt.date(r.start_date)} – {fmt.date(r.end_date)})" for r in phases.itertuples()}
    default = run(budget.phase_for_day, limit)
    default = default if default in ids else ids[0]
    # The phase follows the period until someone picks another one.
    if st.session_state.get("budget.phase") not in ids or \
            st.session_state.get("budget.phase") == st.session_state.get("budget.phase_auto"):
        st.session_state["budget.phase"] = default
    st.session_state["budget.phase_auto"] = default
    phase_id = st.selectbox(t("budget.phase"), ids, key="budget.phase", format_func=names.get)
    burn = run(budget.phase_burn, phase_id, limit)
    st.caption(t("budget.as_of", as_of=fmt.date(burn.as_of) if burn.as_of else t("budget.not_started_yet"),
                 elapsed=burn.days_elapsed, total=burn.days_total, left=burn.days_left))

    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("budget.kpi.budget"), yuan(burn.budget),
              help=t("budget.kpi.budget_help", lines=fmt.money(burn.lines_total)))
    c2.metric(t("budget.kpi.spent"), yuan(burn.spent),
              delta=signed_yuan(burn.vs_plan),
              delta_color="inverse", help=t("budget.kpi.spent_help", planned=fmt.money(burn.planned_to_date)))
    c3.metric(t("budget.kpi.remaining"), yuan(burn.remaining))
    c4.metric(t("budget.kpi.projected"), yuan(burn.projected),
              help=t("budget.kpi.projected_help", pace=fmt.money(burn.pace_per_day), window=budget.PACE_WINDOW_DAYS))
    c5.metric(t("budget.kpi.to_land"), yuan(burn.daily_to_land),
              help=t("budget.kpi.to_land_help", exact=fmt.money(burn.daily_to_land)))
    show_status(burn)
    allocation = run(budget.phase_allocation, phase_id)
    if allocation["unallocated"] and allocation["lines_total"]:
        st.caption(t("budget.lines_vs_budget", lines=fmt.money(allocation["lines_total"]),
                     budget=fmt.money(allocation["budget"]), gap=fmt.money(allocation["unallocated"])))

    curve = run(budget.burn_curve, phase_id, limit, None)
    if not curve.empty:
        charts.show(burn_chart(curve, t("budget.chart.phase", phase=burn.phase_name), burn))
    with st.expander(t("budget.band_help_title")):
        st.markdown(t("budget.band_help", start=fmt.pct(budget.BAND_START), end=fmt.pct(budget.BAND_END),
                      full=fmt.pct(budget.BAND_FULL_AT), window=budget.PACE_WINDOW_DAYS,
                      low=fmt.pct(burn.band_low), high=fmt.pct(burn.band_high)))

    st.subheader(t("budget.lines_header"))
    lines = run(budget.line_burns, phase_id, limit)
    unplanned_items, unplanned_total = budget.unplanned_summary(lines)
    if lines.empty:
        st.info(t("budget.no_lines"), icon=":material/info:")
    else:
        lines = lines.assign(category=code_labels("budget.cat", lines["category"]),
                             importance=code_labels("budget.imp", lines["importance"]),
                             status=code_labels("budget.status", lines["status"]))
        show_table(lines, [
            ("item", "budget.col.item", "text"), ("category", "budget.col.category", "text"),
            ("channel", "budget.col.channel", "text"), ("importance", "budget.col.importance", "text"),
            ("amount", "budget.col.amount", "money"), ("spent", "budget.col.spent", "money"),
            ("share_spent", "budget.col.share_spent", "pct"),
            ("planned_to_date", "budget.col.planned_to_date", "money"),
            ("remaining", "budget.col.remaining", "money"), ("projected", "budget.col.projected", "money"),
            ("daily_to_land", "budget.col.daily_to_land", "money"), ("status", "budget.col.status", "text"),
            ("expected_followers", "budget.col.expected_followers", "count"),
            ("target_cost_per_follower", "budget.col.target_cpf", "money")])
        if unplanned_items:
            st.warning(t("budget.unplanned", items=", ".join(unplanned_items), amount=fmt.money(unplanned_total)),
                       icon=":material/warning:")
        planned_items = [i for i in lines["item"] if i not in unplanned_items]
        if planned_items:
            if st.session_state.get("budget.line") not in planned_items:
                st.session_state.pop("budget.line", None)
            item = st.selectbox(t("budget.line_pick"), planned_items, key="budget.line")
            line_curve = run(budget.burn_curve, phase_id, limit, item)
            charts.show(burn_chart(line_curve, t("budget.chart.line", item=item), None))





def _cost_tab(tab, run, fetch, chosen, previous, column: str, name, first_columns: list) -> None:
    """One cost tab (by budget line or by channel), drawn only when open: cost per result
    now and in the previous period; board-wide spend named by ``name(value, board_wide)``."""
    if not tab.open:
        return
    with tab:
        costs = run(fetch, chosen.start, chosen.end, previous.start, previous.end)
        if costs.empty:
            st.info(t("budget.no_spend_period"), icon=":material/info:")
            return
        costs = costs.assign(**{column: [name(c, bw) for c, bw in zip(costs[column], costs["board_wide"])]})
        show_table(costs, [*first_columns, *COST_COLUMNS])

def _costs(chosen, previous) -> None:
    """Cost per result in the period, by ledger line and by channel (only the open tab runs)."""
    st.header(t("budget.cost_header"))
    st.caption(t("budget.cost_period", current=chosen.label(), previous=previous.label()))
    now_total = run(budget.cost_totals, chosen.start, chosen.end)
    prev_total = run(budget.cost_totals, previous.start, previous.end)
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(t("budget.kpi.period_spend"), yuan(now_total["spend"]),
              help=t("budget.kpi.previous", value=fmt.money(prev_total["spend"])))
    for col, key in ((k2, "follower"), (k3, "registration"), (k4, "order")):
        col.metric(t(f"budget.kpi.cost_per_{key}"), fmt.money(now_total[f"cost_per_{key}"]),
                   help=t("budget.kpi.previous", value=fmt.money(prev_total[f"cost_per_{key}"])))
    st.caption(t("budget.cost_rule"))

    by_line, by_channel = st.tabs([t("budget.tab_lines"), t("budget.tab_channels")], key="budget.cost_tab",
                                  on_change="rerun")
    every, none = t("budget.all_channels"), t("budget.no_channel")
    _cost_tab(by_line, run, budget.costs_by_line, chosen, previous, "channels",
              lambda c, bw: every if bw else (c or "–"),
              [("budget_line", "budget.col.item", "text"), ("channels", "budget.col.results_from", "text")])
    _cost_tab(by_channel, run, budget.costs_by_channel, chosen, previous, "channel",
              lambda c, bw: none if bw else c, [("channel", "budget.col.channel", "text")])


def render() -> None:
    """The Budget view."""
    st.title(t("nav.budget"))
    chosen = current_period()
    previous = chosen.previous()
    today = period.today()

    if not run(budget.has_plan_or_spend):
        st.info(t("budget.empty"), icon=":material/info:")
        return

    phases = run(budget.phase_choices)
    limit = min(chosen.end, today - dt.timedelta(days=1))

    _phase_burn(phases, limit)
    _costs(chosen, previous)
