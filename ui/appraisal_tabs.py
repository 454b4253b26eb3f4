"""The Appraisal view's three tabs: the scores (team table, score history, drill-down per
person), the manual inputs, and the lock with corrections and the revision log."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import appraisal, team
from store import plan_team
from ui import access
from ui import appraisal_view as view
from ui import format as fmt
from ui.labels import language, t


def render_scores(month: dt.date, recent: list) -> None:
    """The month's team table with last month beside it (``recent``: the totals of the month
    and the one before), the score history on request and one person's KPIs with where each
    figure came from."""
    scores = recent[0]
    if not scores.people:
        st.info(t("appraisal.empty", month=view.month_label(month)), icon=":material/info:")
    else:
        previous = recent[1]
        frame = appraisal.team_frame(scores, previous)
        scored = frame.dropna(subset=["score"])
        c1, c2, c3 = st.columns(3)
        c1.metric(t("appraisal.kpi.people"), fmt.count(len(frame)))
        c2.metric(t("appraisal.kpi.average"), view.points(scored["score"].mean() if len(scored) else None))
        c3.metric(t("appraisal.kpi.bonus_total"), fmt.money(frame["bonus"].sum(min_count=1)))
        st.subheader(t("appraisal.team_header", month=view.month_label(month)))
        st.dataframe(view.team_display(frame), hide_index=True, width="stretch", key="appraisal.team_table")
        st.caption(t("appraisal.team_caption"))

        # six months for everyone is the costliest figure of the view: drawn on request
        if st.toggle(t("appraisal.history_show", months=view.HISTORY_MONTHS), key="appraisal.history"):
            history = appraisal.history_frame(view.recent_scores(month, view.HISTORY_MONTHS))
            if history["score"].notna().any():
                st.altair_chart(view.history_chart(history), width="stretch")
            else:
                st.caption(t("appraisal.history_empty"))

        st.subheader(t("appraisal.drill_header"))
        names = {p.person_id: f"{p.name} · {p.role or '–'}" for p in scores.people}
        if st.session_state.get("appraisal.person") not in names:
            st.session_state["appraisal.person"] = next(iter(names))
        person_id = st.selectbox(t("appraisal.person"), list(names), key="appraisal.person", format_func=names.get)
        person = view.person_month(month, person_id)
        if person is not None:
            d1, d2, d3 = st.columns(3)
            d1.metric(t("appraisal.col.score"), view.points(person.score))
            d2.metric(t("appraisal.col.bonus"), fmt.money(person.bonus))
            d3.metric(t("appraisal.bonus_base"), fmt.money(person.bonus_base))
            if person.counted_from and person.counted_from > month:
                st.caption(t("appraisal.counted_from", date=fmt.date(person.counted_from),
                             share=fmt.pct(person.pay_share)))
            if person.kpi_source == "none" or not person.kpis:
                st.info(t("appraisal.no_kpis"), icon=":material/info:")
            else:
                st.dataframe(view.kpi_display(person), hide_index=True, width="stretch",
                             key="appraisal.kpi_table")
                mode = person.bonus_rule.get("mode", "linear")
                if mode == "bands":
                    bands = ", ".join(f"≥ {low:g} → × {mult:g}" for low, mult in person.bonus_rule.get("bands", []))
                    st.caption(t("appraisal.bonus_rule_bands", bands=bands))
                else:
                    st.caption(t("appraisal.bonus_rule_linear"))
                st.caption(t("appraisal.score_caption"))


def render_inputs(con, month: dt.date, lock: dict | None) -> None:
    """The manual inputs of the month in an editor (frozen when the month is locked) and their log."""
    st.caption(t("appraisal.inputs_intro"))
    everyone = appraisal.people_in_month(con, month)
    if not everyone:
        st.info(t("appraisal.empty", month=view.month_label(month)), icon=":material/info:")
    else:
        sheet = team.input_sheet(con, month, everyone)
        people_names = {p.person_id: p.name for p in everyone}
        editor_frame = sheet[["person", "input_key", "value", "note"]]
        version = st.session_state.setdefault("appraisal.inputs_version", 0)
        keys = sorted(set(team.MANUAL_INPUTS) | set(sheet["input_key"]))
        with st.form(f"appraisal.inputs_form.{version}"):
            edited = st.data_editor(
                editor_frame, key=f"appraisal.inputs_editor.{version}", num_rows="dynamic", hide_index=True,
                width="stretch", disabled=bool(lock),
                column_config={
                    "person": st.column_config.SelectboxColumn(t("appraisal.col.person"),
                                                               options=list(people_names.values()), required=True),
                    "input_key": st.column_config.SelectboxColumn(t("appraisal.col.input"), options=keys,
                                                                  required=True, format_func=view.input_label),
                    "value": st.column_config.NumberColumn(t("appraisal.col.value"), format="%.2f"),
                    "note": st.column_config.TextColumn(t("appraisal.col.note")),
                })
            who = st.text_input(t("appraisal.who"), key=f"appraisal.inputs_who.{version}", disabled=bool(lock))
            save = st.form_submit_button(t("appraisal.inputs_save"), type="primary", disabled=bool(lock) or not access.can_edit())
        if lock:
            st.caption(t("appraisal.inputs_locked"))
        if save:
            ids = {name: pid for pid, name in people_names.items()}
            entries = [{"person_id": ids.get(r["person"]), "input_key": r["input_key"], "value": r["value"],
                        "note": r["note"]} for r in edited.to_dict("records")]
            try:
                written = plan_team.save_inputs(con, month, entries, who)
            except plan_team.TeamRefused as refused:
                st.error("\n".join(f"- {m}" for m in refused.messages(language())), icon=":material/error:")
            else:
                st.session_state["appraisal.flash"] = t("appraisal.inputs_saved", count=written)
                st.session_state["appraisal.inputs_version"] = version + 1
                st.rerun()
        log = team.input_history(con, month)
        if len(log):
            with st.expander(t("appraisal.inputs_log", count=len(log))):
                st.dataframe(pd.DataFrame({
                    "#": log["input_id"], t("appraisal.col.person"): log["person"],
                    t("appraisal.col.input"): view.input_labels(log["input_key"]),
                    t("appraisal.col.value"): [fmt.number(v, 2) for v in log["value"]],
                    t("appraisal.col.note"): log["note"].fillna(""),
                    t("appraisal.col.who"): log["entered_by"].fillna(""),
                    t("appraisal.col.when"): [str(x)[:16] for x in log["entered_at"]]}),
                    hide_index=True, width="stretch")


def render_lock(con, month: dt.date, lock: dict | None, month_over: bool, today: dt.date, scores) -> None:
    """Lock the month, or unlock it or correct one figure when locked; the month's revisions."""
    st.caption(t("appraisal.lock_intro"))
    if lock:
        with st.form("appraisal.unlock_form"):
            st.markdown(f"**{t('appraisal.unlock_header')}**")
            who = st.text_input(t("appraisal.who"), key="appraisal.unlock_who")
            why = st.text_input(t("appraisal.why"), key="appraisal.unlock_why")
            unlock = st.form_submit_button(t("appraisal.unlock"), disabled=not access.can_edit())
        if unlock:
            try:
                plan_team.unlock_month(con, month, who, why)
            except plan_team.TeamRefused as refused:
                st.error("\n".join(f"- {m}" for m in refused.messages(language())), icon=":material/error:")
            else:
                st.session_state["appraisal.flash"] = t("appraisal.unlocked", month=view.month_label(month))
                st.rerun()
        if scores.people:
            with st.form("appraisal.correct_form"):
                st.markdown(f"**{t('appraisal.correct_header')}**")
                kpis = {f"{p.person_id}:{k.kpi_id}": f"{p.name} · {k.name}" for p in scores.people for k in p.kpis}
                choice = st.selectbox(t("appraisal.col.kpi"), list(kpis), key="appraisal.correct_kpi",
                                      format_func=kpis.get)
                value = st.number_input(t("appraisal.correct_value"), key="appraisal.correct_value",
                                        value=None, format="%.4f")
                who = st.text_input(t("appraisal.who"), key="appraisal.correct_who")
                why = st.text_input(t("appraisal.why"), key="appraisal.correct_why")
                correct = st.form_submit_button(t("appraisal.correct"), disabled=not access.can_edit())
            if correct:
                try:
                    person_id, kpi_id = (int(x) for x in choice.split(":"))
                    plan_team.correct_kpi(con, month, person_id, kpi_id, value, who, why)
                except plan_team.TeamRefused as refused:
                    st.error("\n".join(f"- {m}" for m in refused.messages(language())), icon=":material/error:")
                else:
                    st.session_state["appraisal.flash"] = t("appraisal.corrected", kpi=kpis[choice])
                    st.rerun()
    else:
        with st.form("appraisal.lock_form"):
            st.markdown(f"**{t('appraisal.lock_header', month=view.month_label(month))}**")
            who = st.text_input(t("appraisal.who"), key="appraisal.lock_who")
            why = st.text_input(t("appraisal.why_optional"), key="appraisal.lock_why")
            lock_now = st.form_submit_button(t("appraisal.lock"), type="primary", disabled=not access.can_edit())
        if not month_over:
            st.caption(t("appraisal.lock_wait"))
        if lock_now:
            try:
                plan_team.lock_month(con, month, who, why, today)
            except plan_team.TeamRefused as refused:
                st.error("\n".join(f"- {m}" for m in refused.messages(language())), icon=":material/error:")
            else:
                st.session_state["appraisal.flash"] = t("appraisal.locked", month=view.month_label(month))
                st.rerun()
    log = appraisal.revisions(con, month)
    st.markdown(f"**{t('appraisal.log_header')}**")
    if log.empty:
        st.caption(t("appraisal.log_empty"))
    else:
        st.dataframe(pd.DataFrame({
            t("appraisal.col.revision"): log["revision_id"],
            t("appraisal.col.action"): [t(f"appraisal.action.{a}") for a in log["action"]],
            t("appraisal.col.who"): log["who"], t("appraisal.col.why"): log["why"].fillna(""),
            t("appraisal.col.when"): [str(x)[:16] for x in log["made_at"]]}),
            hide_index=True, width="stretch", key="appraisal.log_table")
