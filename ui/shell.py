"""What every page shares: language choice, the workspace banner, the period filter, the editor gate."""
from __future__ import annotations

import streamlit as st

from metrics import plan_core
from ui import access, db, period
from ui.labels import LANGUAGES, set_language, t, language


LANG_COOKIE = "opsboard_lang"


def _remembered_language() -> str | None:
    """The language this browser chose last time (a cookie), if any."""
    try:
        value = st.context.cookies.get(LANG_COOKIE)
    except Exception:  # no request context (bare runs)
        return None
    return value if isinstance(value, str) and value in LANGUAGES else None


def apply_language() -> None:
    """The language: ``?lang=`` first (the stand-up URL forces it that way), then this session's
    choice, then the browser's remembered choice (a cookie set when the language is switched),
    else English. Outside the stand-up, a non-English language stays in the URL (``?lang=``) so
    a reload or a bookmark keeps it."""
    asked = st.query_params.get("lang")
    wanted = asked or st.session_state.get("ui.lang") or _remembered_language() or "en"
    lang = wanted if wanted in LANGUAGES else "en"
    set_language(lang)
    if st.query_params.get("view") != "standup" and asked != lang and (asked is not None or lang != "en"):
        st.query_params["lang"] = lang


def _remember_language() -> None:
    """Store the chosen language in a year-long cookie, once per session and change."""
    lang = language()
    if st.session_state.get("ui.lang_remembered") == lang or (_remembered_language() or "en") == lang:
        return
    st.session_state["ui.lang_remembered"] = lang
    st.html(f"<script>document.cookie = '{LANG_COOKIE}={lang}; path=/; max-age=31536000; SameSite=Lax';</script>",
            unsafe_allow_javascript=True)


def sidebar() -> None:
    """Language switch, workspace banner, the shared period filter and the editor gate."""
    con = db.cursor()
    with st.sidebar:
        chosen = st.radio(t("shell.language"), LANGUAGES, index=LANGUAGES.index(language()),
                          format_func=lambda code: {"en": "English", "zh": "简体中文"}[code],
                          horizontal=True, key="shell.language")
        if chosen != language():
            set_language(chosen)
            st.query_params["lang"] = chosen
            st.rerun()
        _remember_language()
        if plan_core.workspace_mode(con) == "demo":
            st.info(t("shell.demo_banner"), icon=":material/science:")
        phase = plan_core.current_phase(con, period.today())
        if phase:
            st.caption(t("shell.current_phase", name=phase["name"], start=phase["start_date"].isoformat(),
                         end=phase["end_date"].isoformat()))
    period.selector(plan_core.phase_rows(con))
    access.editor_gate()


def current_period():
    """The period chosen in the sidebar, for pages."""
    return period.current(plan_core.phase_rows(db.cursor()))
