"""The Goals view: the current phase, the ultimate goal, every goal's pacing with a bullet
chart, and a drill-down into one goal's split and its daily series against the pace line."""
import streamlit as st

from metrics import pacing
from metrics.periods import Period
from ui import db
from ui import format as fmt
from ui import goals_widgets as gw
from ui import paging
from ui.labels import t
from ui.period import today
from ui.shell import current_period

CARDS_PER_PAGE = 10   # goal cards drawn at once (each has a chart); the rest are a page away


@st.cache_data(show_spinner=False)
def _overview(_con, version: int, day, start, end):
    return pacing.overview(_con, day, (start, end))


@st.cache_data(show_spinner=False)
def _drill(_con, version: int, goal_id: int, day, start, end, kind):
    return pacing.drill_down(_con, goal_id, day, Period(start, end, kind))


def _phase_bar(phase) -> None:
    st.subheader(t("goals.phase_heading", name=phase["name"]))
    st.progress(min(max(phase["time_share"], 0.0), 1.0),
                text=t("goals.phase_time", day=phase["days_elapsed"], days=phase["days_total"],
                       start=fmt.date(phase["start_date"]), end=fmt.date(phase["end_date"]),
                       pct=fmt.pct(phase["time_share"])))
    followers = phase.get("followers")
    st.caption(t("goals.phase_budget_note", budget=fmt.money(phase["budget"])))
    if followers is None:
        return
    cols = st.columns(3)
    basis = t("goals.basis_" + (phase.get("follower_basis") or "total"))
    cols[0].metric(t("goals.phase_follower_target"), fmt.count(followers["target"]), help=basis)
    cols[1].metric(t("goals.phase_followers_now"), fmt.count(followers["actual"]),
                   delta=None if gw.missing(followers["planned"]) or gw.missing(followers["actual"])
                   else fmt.count(followers["actual"] - followers["planned"]),
                   help=t("goals.phase_followers_help", planned=fmt.count(followers["planned"])))
    cols[2].markdown(f"**{t('goals.col_status')}**  \n{gw.status_badge(followers['status'])}")


def _numbers(row) -> None:
    unit = row["unit"]
    top, bottom = st.columns(3), st.columns(3)
    top[0].metric(t("goals.col_actual"), gw.value_text(row["actual"], unit),
                  help=t("goals.asof_help", asof=fmt.date(row["asof"])))
    top[1].metric(t("goals.col_planned"), gw.value_text(row["planned"], unit), help=t("goals.planned_help"))
    top[2].metric(t("goals.col_target"), gw.value_text(row["target"], unit),
                  help=None if row["rule"] != "growth" else t("goals.growth_help", growth=gw.target_text(row),
                                                               previous=gw.value_text(row["baseline"], unit)))
    bottom[0].metric(t("goals.col_projection"), gw.value_text(row["projection"], unit),
                     help=t("goals.method_" + row["projection_method"]))
    bottom[1].metric(t("goals.col_required"),
                     gw.value_text(row["required_per_day"], "number" if unit == "count" else unit),
                     help=t("goals.required_help"))
    bottom[2].metric(t("goals.col_days_left"), fmt.count(row["days_left"]))


def _goal_card(row, big: bool = False) -> None:
    with st.container(border=True):
        head = f"### {gw.title(row)}" if big else f"**{gw.title(row)}**"
        st.markdown(f"{head}  \n{gw.status_badge(row['status'])} · {t('goals.rule_' + row['rule'])} · "
                    f"{t('goals.kind_' + row['kind'])} · {gw.scope_text(row['scope_kind'], row['scope_name'])} · "
                    f"{fmt.date(row['start_date'])} – {fmt.date(row['end_date'])}")
        if row["status"] == "upcoming":
            st.caption(t("goals.upcoming_note", start=fmt.date(row["start_date"])))
        elif row["status"] == "no_data":
            st.caption(t("goals.no_data_note" if row["note"] != "no_previous" else "goals.no_previous_note"))
        else:
            if row.get("finished"):
                st.caption(t("goals.ended_note", end=fmt.date(row["end_date"]),
                             actual=gw.value_text(row["actual"], row["unit"]),
                             target=gw.value_text(row["target"], row["unit"])))
            st.vega_lite_chart(*gw.bullet_chart(row), width="stretch")
        _numbers(row)
        if row["children"]:
            st.caption(t("goals.rollup_note", n=row["children"], value=gw.value_text(row["rollup_actual"], row["unit"])))


def _drill_down(con, frame, period) -> None:
    st.subheader(t("goals.drill_heading"))
    options = list(frame.sort_values("is_ultimate", ascending=False, kind="stable")["goal_id"])
    titles = {r.goal_id: gw.title(r._asdict()) for r in frame.itertuples()}
    chosen = st.selectbox(t("goals.drill_pick"), options, format_func=lambda g: titles[g], key="goals.drill")
    row = frame[frame["goal_id"] == chosen].iloc[0].to_dict()
    drill = _drill(con, db.version(), int(chosen), today(), period.start, period.end, period.kind)
    unit = row["unit"]
    c1, c2 = st.columns(2)
    c1.metric(t("goals.in_period", period=period.label()), gw.value_text(drill["period_value"], unit),
              delta=None if drill["period_change"] is None else fmt.pct(drill["period_change"], signed=True),
              delta_color="normal" if row["direction"] == "higher" else "inverse",
              help=t("goals.previous_help", period=drill["previous_label"],
                     value=gw.value_text(drill["previous_value"], unit)))
    c2.markdown(t("goals.split_mode_note", mode=t("goals.mode_" + drill["split_mode"]),
                  grain=t("goals.grain_" + drill["split_grain"])))
    if not drill["series"].empty:
        st.altair_chart(gw.pace_chart(drill["series"], row), width="stretch")
    parts = drill["parts"]
    if not parts.empty:
        st.markdown(f"**{t('goals.parts_heading')}**")
        shown = parts.assign(
            start=parts["start"].map(fmt.date), end=parts["end"].map(fmt.date),
            target=parts["target"].map(lambda v: gw.value_text(v, unit)),
            actual=parts["actual"].map(lambda v: gw.value_text(v, unit)),
            status=parts["status"].map(lambda s: t("goals.status_" + s)))
        st.dataframe(shown.rename(columns={"start": t("goals.col_start"), "end": t("goals.col_end"),
                                           "target": t("goals.col_target"), "actual": t("goals.col_actual"),
                                           "status": t("goals.col_status")}),
                     hide_index=True, width="stretch")
    kids = drill["children"]
    if not kids.empty:
        st.markdown(f"**{t('goals.children_heading')}**")
        shown = kids.assign(
            title=[gw.scope_text(k, n) for k, n in zip(kids["scope_kind"], kids["scope_name"])],
            target=kids["target"].map(lambda v: gw.value_text(v, unit)),
            actual=kids["actual"].map(lambda v: gw.value_text(v, unit)),
            planned=kids["planned"].map(lambda v: gw.value_text(v, unit)),
            status=kids["status"].map(lambda s: t("goals.status_" + s)))[
            ["title", "target", "planned", "actual", "status"]]
        st.dataframe(shown.rename(columns={"title": t("goals.col_member"), "target": t("goals.col_target"),
                                           "planned": t("goals.col_planned"), "actual": t("goals.col_actual"),
                                           "status": t("goals.col_status")}),
                     hide_index=True, width="stretch")


st.title(t("nav.goals"))
con = db.cursor()
version = db.version()
day = today()
period = current_period()
phase, frame = _overview(con, version, day, period.start, period.end)
if phase:
    _phase_bar(phase)
if frame.empty:
    st.info(t("goals.empty", period=period.label()))
    st.stop()
st.caption(t("goals.list_caption", period=period.label(), today=fmt.date(day)))
ultimate = frame[frame["is_ultimate"]]
if not ultimate.empty:
    st.subheader(t("goals.ultimate_heading"))
    _goal_card(ultimate.iloc[0].to_dict(), big=True)
counts = frame["status"].value_counts()
st.subheader(t("goals.all_heading"))
st.markdown(" · ".join(f"{gw.status_badge(s)} {int(counts.get(s, 0))}" for s in pacing.STATUSES
                       if counts.get(s, 0)))
others = frame[~frame["is_ultimate"]]
page = paging.pager("goals.cards_page", len(others), CARDS_PER_PAGE, "goals.cards_page")
if page.pages > 1:
    st.caption(t("goals.cards_showing", first=page.first, last=page.last, total=page.total))
for row in others.iloc[page.offset:page.offset + page.limit].to_dict("records"):
    _goal_card(row)
with st.expander(t("goals.bands_heading")):
    st.markdown(t("goals.bands_text"))
_drill_down(con, frame, period)
