"""What every page shares: language choice, the workspace banner, the period filter."""
from __future__ import annotations

import streamlit as st

from metrics import plan_core
from ui import db, period
from ui.labels import LANGUAGES, set_language, t, language


def apply_language() -> None:
    """Take the language from ``?lang=`` (remembered in the URL) or the session; default English."""
    wanted = st.query_params.get("lang") or st.session_state.get("ui.lang") or "en"
    set_language(wanted if wanted in LANGUAGES else "en")


def sidebar() -> None:
    """Language switch, workspace banner and the shared period filter."""
    con = db.cursor()
    with st.sidebar:
        chosen = st.radio(t("shell.language"), LANGUAGES, index=LANGUAGES.index(language()),
                          format_func=lambda code: {"en": "English", "zh": "简体中文"}[code],
                          horizontal=True, key="shell.language")
        if chosen != language():
            set_language(chosen)
            st.query_params["lang"] = chosen
            st.rerun()
        if plan_core.workspace_mode(con) == "demo":
            st.info(t("shell.demo_banner"), icon=":material/science:")
        phase = plan_core.current_phase(con, period.today())
        if phase:
            st.caption(t("shell.current_phase", name=phase["name"], start=phase["start_date"].isoformat(),
                         end=phase["end_date"].isoformat()))
    period.selector(plan_core.phase_rows(con))


def current_period():
    """The period chosen in the sidebar, for pages."""
    return period.current(plan_core.phase_rows(db.cursor()))
