"""Plan view: edit goals and phases, budget lines and channels, roles, people and KPIs."""
import streamlit as st

from ui import access

from ui import db, plan_budget, plan_goals, plan_team
from ui.labels import t

st.title(t("nav.plan"))
access.require_editor()
con = db.cursor()
goals_tab, budget_tab, team_tab = st.tabs([t("plan.tab_goals"), t("plan.tab_budget"), t("plan.tab_team")])
with goals_tab:
    plan_goals.render(con)
with budget_tab:
    plan_budget.render(con)
with team_tab:
    plan_team.render(con)
