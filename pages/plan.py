"""Plan view: edit goals and phases, budget lines and channels, roles, people and KPIs."""
import streamlit as st

from ui import access

from ui import db, plan_budget, plan_goals, plan_team
from ui.labels import t

st.title(t("nav.plan"))
access.require_editor()
con = db.cursor()
# only the open tab runs: each holds editors over the whole workspace
goals_tab, budget_tab, team_tab = st.tabs([t("plan.tab_goals"), t("plan.tab_budget"), t("plan.tab_team")],
                                          key="plan.tab", on_change="rerun")
for tab, part in ((goals_tab, plan_goals), (budget_tab, plan_budget), (team_tab, plan_team)):
    if tab.open:
        with tab:
            part.render(con)
