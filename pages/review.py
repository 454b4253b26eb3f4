"""The Friday review: one Monday–Sunday week per role and person — KPI figures with the change on
the week before, the goals' week, the tasks, and the notes per role — exported in one click as
XLSX, HTML (and PDF when Chromium is installed). Notes and tasks need an editor."""
import datetime as dt

import pandas as pd
import streamlit as st

from metrics import catalog, frames, review, tasks, team
from metrics.goals import scope_options
from metrics.periods import week_of
from reports import review_pack as rp
from store import meetings
from ui import access, db, paging
from ui import meeting_format as mf
from ui import review_charts
from ui.review_charts import CHART_ROWS, change_chart, goals_chart
from ui.labels import goal_scope_name, language, scope_label, t
from ui.period import today

WEEKS_BACK = 26


@st.cache_data(show_spinner=False)
def _pack(_con, version: int, week_start: dt.date, day: dt.date):
    return review.pack(_con, week_of(week_start), day)


@st.cache_data(show_spinner=False)
def _all_tasks(_con, version: int, day: dt.date):
    return tasks.task_frame(_con, day, include_cancelled=True)


def plain(text) -> str:
    """User text safe for markdown: special characters escaped, line breaks kept."""
    if mf.missing(text):
        return ""
    special = "\\`*_{}[]()#+-.!|<>$~:"
    escaped = "".join("\\" + ch if ch in special else ch for ch in str(text))
    return escaped.replace("\n", "  \n")


def _text(x) -> str:
    return "" if mf.missing(x) else str(x)


def _nonce(name: str) -> int:
    return st.session_state.get(f"review.{name}_nonce", 0)


def _bump(name: str) -> None:
    st.session_state[f"review.{name}_nonce"] = _nonce(name) + 1


def _flash() -> None:
    message = st.session_state.pop("review.flash", None)
    if message:
        st.success(message, icon=":material/check:")


# ------------------------------------------------------------------ header, week, export
con = db.cursor()
day = today()
st.title(t("review.title"))
choices = [w.start for w in review.weeks(day, WEEKS_BACK)]
default = review.default_week(day).start
week_start = st.selectbox(t("review.week"), choices, index=choices.index(default) if default in choices else 0,
                          format_func=lambda d: mf.week_label(week_of(d)), key="review.week")
pack = _pack(con, db.version(), week_start, day)
lang = language()
st.caption(t("review.week_note", previous=mf.week_label(pack.previous)))
_flash()

stem = rp.file_stem(pack)
c1, c2, c3 = st.columns(3)
c1.download_button(t("review.export_xlsx"), data=lambda: rp.xlsx(pack, lang), file_name=f"{stem}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/table_view:", on_click="ignore", key="review.export_xlsx", width="stretch")
c2.download_button(t("review.export_html"), data=lambda: rp.html_report(pack, lang), file_name=f"{stem}.html",
                   mime="text/html", icon=":material/description:", on_click="ignore", key="review.export_html",
                   width="stretch")
if rp.chromium():
    c3.download_button(t("review.export_pdf"), data=lambda: rp.pdf(rp.html_report(pack, lang)) or b"",
                       file_name=f"{stem}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       on_click="ignore", key="review.export_pdf", width="stretch")

summary = pack.summary
cols = st.columns(6)
for col, (label, value) in zip(cols, [
        (t("goals.status_at_risk"), summary["goals"]["at_risk"]), (t("goals.status_behind"), summary["goals"]["behind"]),
        (t("goals.status_on_track"), summary["goals"]["on_track"]), (t("tasks.status_met"), summary["tasks"]["met"]),
        (t("tasks.status_missed"), summary["tasks"]["missed"]), (t("tasks.status_open"), summary["tasks"]["open"])]):
    col.metric(label, mf.count(value))


# ------------------------------------------------------------------ KPIs
def kpis_tab() -> None:
    """Per role: every person's KPI figures for the week, with the change on the week before."""
    st.caption(t("review.kpi_note"))
    if pack.kpis.empty:
        st.info(t("review.no_kpis"))
    else:
        chart, total = change_chart(pack.kpis)
        if chart is not None:
            if total > CHART_ROWS:
                st.caption(t("review.chart_change_top", shown=CHART_ROWS, total=total))
            st.altair_chart(chart, width="stretch")
        for i, (role, group) in enumerate(pack.kpis.groupby("role", sort=False, dropna=False)):
            st.subheader(role if not mf.missing(role) else t("review.no_role"))
            page = paging.pager(f"review.kpi_page.{i}", len(group), review_charts.KPI_PAGE_ROWS, "review.kpi_page")
            if page.pages > 1:
                st.caption(t("review.kpi_showing", first=mf.count(page.first), last=mf.count(page.last),
                             total=mf.count(page.total)))
                group = group.iloc[page.offset:page.offset + page.size]
            cells = [rp.kpi_cells(r, lang) for r in frames.records(group)]
            st.dataframe(pd.DataFrame({
                t("review.col_person"): group["person"].tolist(),
                t("review.col_kpi"): group["kpi"].tolist(),
                t("review.col_scope"): [scope_label(x, lang) for x in group["scope_text"].tolist()],
                t("review.col_value"): [c["value"] for c in cells],
                t("review.col_previous"): [c["previous"] for c in cells],
                t("review.col_change"): [c["change"] for c in cells],
                t("review.col_target_week"): [c["target"] for c in cells],
                t("review.col_achievement"): [c["achievement"] for c in cells],
                t("review.col_status"): [c["status"] for c in cells]}), hide_index=True, width="stretch")


# ------------------------------------------------------------------ goals
def goals_tab() -> None:
    """The goals' week: actual against plan, and where each goal stands."""
    goals = pack.goals
    if goals.empty:
        st.info(t("review.no_goals"))
    else:
        st.caption(t("review.goals_note"))
        chart = goals_chart(frames.records(goals), lang)
        if chart is not None:
            st.altair_chart(chart, width="stretch")
        records = frames.records(goals)
        st.dataframe(pd.DataFrame({
            t("review.col_goal"): [rp.goal_title(r, lang) for r in records],
            t("review.col_scope"): [goal_scope_name(r.get("scope_kind"), r["scope_name"], lang) or t("review.team")
                                    for r in records],
            t("review.col_week_actual"): [mf.value(r["actual"], r["unit"]) for r in records],
            t("review.col_week_plan"): [mf.value(r["planned"], r["unit"]) for r in records],
            t("review.col_week_status"): [rp.goal_status_label(r["status"], lang) for r in records],
            t("review.col_status_end"): [rp.goal_status_label(r["overall_status"], lang) for r in records],
            t("review.col_to_date"): [mf.value(r["to_date"], r["unit"]) for r in records],
            t("review.col_target"): [mf.value(r["target"], r["unit"]) for r in records]}),
            hide_index=True, width="stretch")


# ------------------------------------------------------------------ tasks
def task_table(frame: pd.DataFrame) -> pd.DataFrame:
    records = frames.records(frame)
    return pd.DataFrame({
        t("review.col_task"): [r["title"] for r in records],
        t("review.col_owner"): [r["owner"] or "–" for r in records],
        t("review.col_metric"): [rp.metric_label(r, lang) for r in records],
        t("review.col_scope"): [goal_scope_name(r["scope_kind"], r["scope_name"], lang) or "–" for r in records],
        t("review.col_window"): [mf.span(r["start_date"], r["due_date"]) for r in records],
        t("review.col_target"): [("≤ " if r["direction"] == "lower" else "≥ ") + mf.value(r["target"], r["unit"])
                                 for r in records],
        t("review.col_result"): [mf.value(r["actual"], r["unit"]) for r in records],
        t("review.col_status"): [rp.task_status_label(r["status"], lang) for r in records]})


def task_form() -> None:
    names = {p.person_id: p.name for p in team.people(con, active_only=True)}
    if not names:
        st.info(t("review.task_no_people"))
        return
    metrics = sorted(catalog.METRICS.values(), key=lambda m: (m.group, m.label(lang)))
    options = scope_options(con)
    kind_label = {k: t("review.scope_" + k) for k in {k for k, _r, _n in options}}   # once per kind, not per option
    scopes = [("owner", None, t("review.scope_owner"))] + [
        (k, r, kind_label[k] if k == "team" else f"{kind_label[k]}: {name}") for k, r, name in options]
    week = week_of(day)
    nonce = _nonce("task")
    with st.form(f"review.task_form.{nonce}"):
        st.markdown(f"**{t('review.task_new')}**")
        title = st.text_input(t("review.task_title"), key=f"review.task_title.{nonce}", max_chars=meetings.MAX_TITLE)
        a, b, c = st.columns(3)
        owner = a.selectbox(t("review.col_owner"), list(names), format_func=lambda p: names[p],
                            key=f"review.task_owner.{nonce}")
        metric = b.selectbox(t("review.col_metric"), [m.id for m in metrics],
                             format_func=lambda m: catalog.METRICS[m].label(lang), key=f"review.task_metric.{nonce}")
        scope = c.selectbox(t("review.col_scope"), range(len(scopes)), format_func=lambda i: scopes[i][2],
                            key=f"review.task_scope.{nonce}")
        a, b, c, d = st.columns(4)
        target = a.number_input(t("review.col_target"), value=None, step=1.0, key=f"review.task_target.{nonce}",
                                help=t("review.task_target_help"))
        direction = b.selectbox(t("review.task_direction"), ["auto", "higher", "lower"],
                                format_func=lambda x: t("review.direction_" + x), key=f"review.task_direction.{nonce}")
        start = c.date_input(t("review.col_from"), value=week.start, key=f"review.task_start.{nonce}",
                             format="YYYY-MM-DD")
        due = d.date_input(t("review.col_due"), value=week.start + dt.timedelta(days=4),
                           key=f"review.task_due.{nonce}", format="YYYY-MM-DD")
        note = st.text_input(t("review.col_note"), key=f"review.task_note.{nonce}")
        who = st.text_input(t("review.who"), value=access.who(), key=f"review.task_who.{nonce}")
        submitted = st.form_submit_button(t("review.task_add"), type="primary", icon=":material/add_task:")
    if not submitted:
        return
    kind, ref, _ = scopes[scope]
    task = {"title": title, "owner_person_id": owner, "metric_id": metric, "target": target,
            "direction": None if direction == "auto" else direction, "start_date": start, "due_date": due,
            "scope_kind": "person" if kind == "owner" else kind, "scope_ref": None if kind == "owner" else ref,
            "note": note}
    try:
        task_id = meetings.add_task(con, task, who)
    except meetings.MeetingRefused as refused:
        for message in refused.messages(lang):
            st.error(message)
        return
    st.session_state["review.flash"] = t("review.task_added", id=task_id)
    _bump("task")
    st.rerun()


def cancel_form(frame: pd.DataFrame) -> None:
    live = frame[frame["status"] != "cancelled"]
    if live.empty:
        return
    titles = {int(r.task_id): f"#{int(r.task_id)} {r.title}" for r in live.itertuples()}
    nonce = _nonce("cancel")
    with st.form(f"review.cancel_form.{nonce}"):
        chosen = st.multiselect(t("review.task_cancel_pick"), list(titles), format_func=lambda i: titles[i],
                                key=f"review.cancel_pick.{nonce}")
        who = st.text_input(t("review.who"), value=access.who(), key=f"review.cancel_who.{nonce}")
        submitted = st.form_submit_button(t("review.task_cancel"), icon=":material/cancel:")
    if submitted and chosen:
        count = meetings.cancel_tasks(con, chosen, who)
        st.session_state["review.flash"] = t("review.task_cancelled", n=count)
        _bump("cancel")
        st.rerun()


def tasks_tab() -> None:
    """Tasks due this week and later, all tasks, and (for editors) adding and cancelling them."""
    st.caption(t("review.task_rule", grace=tasks.GRACE_DAYS))
    due = pack.tasks[pack.tasks["section"] == "due"] if len(pack.tasks) else pack.tasks
    later = pack.tasks[pack.tasks["section"] == "later"] if len(pack.tasks) else pack.tasks
    st.subheader(t("review.tasks_due"))
    if due.empty:
        st.caption(t("review.no_tasks"))
    else:
        st.dataframe(task_table(due), hide_index=True, width="stretch")
    if len(later):
        st.subheader(t("review.tasks_later"))
        st.dataframe(task_table(later), hide_index=True, width="stretch")
    everything = _all_tasks(con, db.version(), day)
    with st.expander(t("review.tasks_all", n=len(everything))):
        if len(everything):
            st.dataframe(task_table(everything), hide_index=True, width="stretch")
    if access.require_editor():
        task_form()
        cancel_form(everything)


# ------------------------------------------------------------------ notes
def notes_tab() -> None:
    """Issues and next steps per role and person: a form for editors, the text for viewers."""
    st.caption(t("review.notes_note", week=mf.week_label(pack.week)))
    notes = pack.notes
    if access.can_edit():
        nonce = _nonce("notes")
        with st.form(f"review.notes_form.{week_start.isoformat()}.{nonce}"):
            for r in frames.records(notes):
                owner = rp.owner_label(r, lang)
                st.markdown(f"**{plain(owner)}**")
                a, b = st.columns(2)
                a.text_area(t("review.col_issues"), value=_text(r["issues"]), height=90, max_chars=meetings.MAX_NOTE,
                            key=f"review.issues.{r['owner_kind']}.{r['owner_id']}.{week_start}.{nonce}")
                b.text_area(t("review.col_next_steps"), value=_text(r["next_steps"]), height=90,
                            max_chars=meetings.MAX_NOTE,
                            key=f"review.next.{r['owner_kind']}.{r['owner_id']}.{week_start}.{nonce}")
            who = st.text_input(t("review.who"), value=access.who(), key=f"review.notes_who.{nonce}")
            saved = st.form_submit_button(t("review.save_notes"), type="primary", icon=":material/save:")
        if saved:
            rows = [{"owner_kind": r["owner_kind"], "owner_id": r["owner_id"],
                     "issues": st.session_state[f"review.issues.{r['owner_kind']}.{r['owner_id']}.{week_start}.{nonce}"],
                     "next_steps": st.session_state[f"review.next.{r['owner_kind']}.{r['owner_id']}.{week_start}.{nonce}"]}
                    for r in frames.records(notes)]
            try:
                changed = meetings.save_notes(con, week_start, rows, who)
            except meetings.MeetingRefused as refused:
                for message in refused.messages(lang):
                    st.error(message)
            else:
                st.session_state["review.flash"] = t("review.notes_saved", n=changed)
                _bump("notes")
                st.rerun()
    else:
        access.require_editor()
        shown = [r for r in frames.records(notes) if not (mf.missing(r["issues"]) and mf.missing(r["next_steps"]))]
        if not shown:
            st.caption(t("review.no_notes"))
        for r in shown:
            st.markdown(f"**{plain(rp.owner_label(r, lang))}**  \n"
                        f"{t('review.col_issues')}: {plain(r['issues']) or '–'}  \n"
                        f"{t('review.col_next_steps')}: {plain(r['next_steps']) or '–'}")


# ------------------------------------------------------------------ the tabs: only the open one runs
tab_kpis, tab_goals, tab_tasks, tab_notes = st.tabs([t("review.tab_kpis"), t("review.tab_goals"),
                                                     t("review.tab_tasks"), t("review.tab_notes")],
                                                    key="review.tab", on_change="rerun")
for tab, render in ((tab_kpis, kpis_tab), (tab_goals, goals_tab), (tab_tasks, tasks_tab), (tab_notes, notes_tab)):
    if tab.open:
        with tab:
            render()
