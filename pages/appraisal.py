"""Appraisal view: the month's team table (score, bonus, change vs last month), a drill-down per
person with every KPI's figures and their sources, manual inputs, the lock/unlock flow and the
three-tables workbook."""
import streamlit as st

from metrics import appraisal
from ui import appraisal_tabs as tabs
from ui import appraisal_view as view
from ui import db, period
from ui.labels import language, t
from ui.shell import current_period

st.title(t("nav.appraisal"))
con = db.cursor()
today = period.today()

months = appraisal.recent_months(today, 12)
chosen = current_period()
default = chosen.start if chosen.kind == "month" and chosen.start in months else appraisal.last_complete_month(today)
if st.session_state.get("appraisal.month") not in months:
    st.session_state["appraisal.month"] = default
month = st.selectbox(t("appraisal.month"), months, key="appraisal.month", format_func=view.month_label)
month_over = appraisal.month_period(month).end < today

flash = st.session_state.pop("appraisal.flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

recent = view.recent_scores(month)   # this month and the one before, computed together
scores = recent[0]
lock = appraisal.lock_info(con, month)
if lock:
    st.info(t("appraisal.locked_banner", month=view.month_label(month), who=lock["who"],
              at=str(lock["made_at"])[:16], revision=lock["revision_id"],
              why=lock["why"] or "–"), icon=":material/lock:")
elif month_over:
    st.warning(t("appraisal.open_banner", month=view.month_label(month)), icon=":material/lock_open:")
else:
    st.warning(t("appraisal.in_progress_banner", month=view.month_label(month)), icon=":material/schedule:")

# only the open tab runs: the inputs and the lock each list everyone's rows
scores_tab, inputs_tab, lock_tab = st.tabs([t("appraisal.tab.scores"), t("appraisal.tab.inputs"),
                                            t("appraisal.tab.lock")], key="appraisal.tab", on_change="rerun")
if scores_tab.open:
    with scores_tab:
        tabs.render_scores(month, recent)
if inputs_tab.open:
    with inputs_tab:
        tabs.render_inputs(con, month, lock)
if lock_tab.open:
    with lock_tab:
        tabs.render_lock(con, month, lock, month_over, today, scores)

# ------------------------------------------------------------------ the three tables
st.divider()
st.subheader(t("appraisal.export_header"))
st.caption(t("appraisal.export_help"))
st.download_button(t("appraisal.export"), data=view.workbook(month, today, language()),
                   file_name=f"three_tables_{view.month_label(month)}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key=f"appraisal.export.{view.month_label(month)}.{db.version()}", icon=":material/download:")
