"""The Monday stand-up on a shared screen: read-only, dark, large type, no scrolling at 1920×1080.

Open it as ``/?view=standup`` (add ``&lang=zh`` for Chinese) for the kiosk form: no navigation,
no sidebar, no toolbar. The board refreshes itself every 60 s (``?refresh=SECONDS`` sets
another interval, 2–3600 s) through a fragment, which also reconnects by itself after a
server restart; when goals or tasks do not fit, their further pages show on each refresh.
"""
import datetime as dt

import streamlit as st

from metrics import standup
from ui import access, db
from ui import standup_board as sb
from ui.labels import language, t
from ui.period import today

DEFAULT_REFRESH = 60
kiosk = access.is_kiosk()


def refresh_seconds() -> int:
    """The refresh interval from ``?refresh=`` (2–3600 s), else 60 s."""
    try:
        return min(max(int(st.query_params.get("refresh", DEFAULT_REFRESH)), 2), 3600)
    except (TypeError, ValueError):
        return DEFAULT_REFRESH


@st.cache_data(show_spinner=False, ttl=3600)
def _board(_con, version: int, day: dt.date):
    return standup.board(_con, day)


st.html(sb.BOARD_CSS + (sb.KIOSK_CSS if kiosk else sb.IN_APP_CSS))
st.title(t("standup.title"))
if not kiosk:
    st.caption(t("standup.kiosk_hint", url=f"./?view=standup&lang={language()}"))


@st.fragment(run_every=refresh_seconds())
def board() -> None:
    """The board, redrawn on every refresh with the latest data; pages rotate per refresh."""
    tick = st.session_state.get("standup.tick", -1) + 1
    st.session_state["standup.tick"] = tick
    con = db.cursor()
    data = _board(con, db.version(), today())
    with st.container(key=sb.BOARD_KEY):
        st.markdown(sb.board_html(data, dt.datetime.now(), page=tick), unsafe_allow_html=True)


board()
