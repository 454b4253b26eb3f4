"""The period filter shared by every view (sidebar), kept in ``st.session_state['period.*']``."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import periods
from metrics.periods import Period
from ui.labels import t


def today() -> dt.date:
    """Today's date (``?today=YYYY-MM-DD`` overrides it, for demos and tests)."""
    forced = st.query_params.get("today")
    if forced:
        try:
            return dt.date.fromisoformat(forced)
        except ValueError:
            pass
    return dt.date.today()


def current(phase_rows: list[tuple] | None = None) -> Period:
    """The period chosen in the sidebar (default: the last complete week)."""
    kind = st.session_state.get("period.kind", "week")
    anchor = st.session_state.get("period.anchor") or (today() - dt.timedelta(days=7))
    if kind == "week":
        return periods.week_of(anchor)
    if kind == "month":
        return periods.month_of(anchor)
    if kind == "quarter":
        return periods.quarter_of(anchor)
    if kind == "phase" and phase_rows:
        chosen = st.session_state.get("period.phase")
        for code, name, start, end in phase_rows:
            if code == chosen or chosen is None:
                return Period(start, end, "phase")
    custom = st.session_state.get("period.custom")
    if isinstance(custom, (tuple, list)) and len(custom) == 2:
        return Period(custom[0], custom[1], "custom")
    return periods.week_of(anchor)


def selector(phase_rows: list[tuple]) -> Period:
    """Render the period filter in the sidebar and return the chosen period."""
    with st.sidebar:
        kinds = list(periods.KINDS)
        st.selectbox(t("period.kind"), kinds, key="period.kind",
                     format_func=lambda k: t(f"period.{k}"))
        kind = st.session_state["period.kind"]
        if kind in ("week", "month", "quarter"):
            st.date_input(t("period.anchor"), value=today() - dt.timedelta(days=7), key="period.anchor",
                          format="YYYY-MM-DD")
        elif kind == "phase":
            codes = [row[0] for row in phase_rows]
            names = {row[0]: row[1] for row in phase_rows}
            if codes:
                st.selectbox(t("period.phase"), codes, key="period.phase", format_func=lambda c: names[c])
        else:
            st.date_input(t("period.custom"), value=(today() - dt.timedelta(days=28), today() - dt.timedelta(days=1)),
                          key="period.custom", format="YYYY-MM-DD")
        chosen = current(phase_rows)
        st.caption(t("period.shown", current=chosen.label(), previous=chosen.previous().label()))
    return chosen
