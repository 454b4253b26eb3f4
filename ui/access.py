"""Who may write: viewers see everything; uploads, undo, plan edits, appraisal locks, notes and
tasks need an editor.

Three modes, decided by ``.streamlit/secrets.toml``:

* ``oidc`` — an ``[auth]`` section (``redirect_uri``, ``cookie_secret`` and a provider's
  ``client_id``/``client_secret``/``server_metadata_url``): editors sign in with ``st.login``;
  an optional ``[access] editors = ["a@example.com", …]`` list limits editing to those e-mails;
* ``passcode`` — ``editor_passcode = "…"`` (top level or under ``[access]``): the sidebar asks
  for it; it is compared with ``hmac.compare_digest``; after ``MAX_FAILURES`` wrong tries in
  ``FAILURE_WINDOW`` seconds the box refuses every try for ``LOCKOUT`` seconds;
* ``open`` — neither configured (the demo): everyone is an editor, and the sidebar says so.

The stand-up URL (``?view=standup``) is always read-only, whatever the mode.
"""
from __future__ import annotations

import hmac
import threading
import time
from collections import deque

import streamlit as st

from ui.labels import t

MODES = ("oidc", "passcode", "open")
SESSION_KEY = "access.editor"
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0
LOCKOUT = 60.0

_failures: deque[float] = deque()
_failures_lock = threading.Lock()


def _secrets() -> dict:
    """The app's secrets as a plain dict ({} when there is no secrets file)."""
    try:
        return {key: st.secrets[key] for key in st.secrets.keys()}
    except Exception:  # no secrets.toml, or it cannot be parsed
        return {}


def _section(secrets: dict, name: str) -> dict:
    value = secrets.get(name)
    try:
        return dict(value) if value is not None else {}
    except (TypeError, ValueError):
        return {}


def oidc_provider(secrets: dict | None = None) -> str | None:
    """'' for the default ``[auth]`` provider, a provider name for ``[auth.<name>]``, or None
    when no OIDC provider is configured."""
    auth = _section(_secrets() if secrets is None else secrets, "auth")
    if not auth or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return None
    if auth.get("client_id"):
        return ""
    for name, value in auth.items():
        try:
            if isinstance(value, dict) or hasattr(value, "keys"):
                if dict(value).get("client_id"):
                    return name
        except (TypeError, ValueError):
            continue
    return None


def passcode(secrets: dict | None = None) -> str | None:
    """The configured editor passcode, or None."""
    secrets = _secrets() if secrets is None else secrets
    code = secrets.get("editor_passcode") or _section(secrets, "access").get("editor_passcode")
    return str(code) if code not in (None, "") else None


def mode(secrets: dict | None = None) -> str:
    """'oidc', 'passcode' or 'open' (see the module docstring)."""
    secrets = _secrets() if secrets is None else secrets
    if oidc_provider(secrets) is not None:
        return "oidc"
    if passcode(secrets) is not None:
        return "passcode"
    return "open"


def is_kiosk() -> bool:
    """True on the stand-up URL (``?view=standup``), which is always read-only."""
    return st.query_params.get("view") == "standup"


def passcode_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of a typed passcode with the configured one."""
    return hmac.compare_digest(str(given).encode("utf-8"), str(expected).encode("utf-8"))


def _locked_out(now: float | None = None) -> bool:
    now = time.monotonic() if now is None else now
    with _failures_lock:
        while _failures and now - _failures[0] > FAILURE_WINDOW:
            _failures.popleft()
        return len(_failures) >= MAX_FAILURES and now - _failures[-1] < LOCKOUT


def _note_failure() -> None:
    with _failures_lock:
        _failures.append(time.monotonic())


def reset_failures() -> None:
    """Forget wrong passcode tries (tests)."""
    with _failures_lock:
        _failures.clear()


def try_passcode(given: str) -> str:
    """Check a typed passcode and unlock editing for this session: 'ok', 'wrong' or 'locked'."""
    expected = passcode()
    if expected is None:
        return "ok"
    if _locked_out():
        return "locked"
    if given and passcode_matches(given, expected):
        st.session_state[SESSION_KEY] = True
        return "ok"
    _note_failure()
    return "wrong"


def _user():
    try:
        return st.user
    except Exception:
        return None


def _logged_in() -> bool:
    user = _user()
    try:
        return bool(user is not None and user.is_logged_in)
    except Exception:
        return False


def _allowed_editors() -> list[str]:
    editors = _section(_secrets(), "access").get("editors") or []
    return [str(e).strip().lower() for e in editors if str(e).strip()]


def can_edit() -> bool:
    """True when this session may write (never on the stand-up URL)."""
    if is_kiosk():
        return False
    current = mode()
    if current == "open":
        return True
    if current == "oidc":
        if not _logged_in():
            return False
        allowed = _allowed_editors()
        email = str(getattr(_user(), "email", "") or "").lower()
        return not allowed or email in allowed
    return bool(st.session_state.get(SESSION_KEY))


def who() -> str:
    """The signed-in editor's name or e-mail ('' when unknown), to prefill 'who' fields."""
    if mode() == "oidc" and _logged_in():
        user = _user()
        return str(getattr(user, "name", "") or getattr(user, "email", "") or "")
    return ""


def require_editor() -> bool:
    """For pages: True when the session may write; otherwise shows why not (where to unlock
    editing) and returns False. Use it to skip rendering a writing form."""
    if can_edit():
        return True
    st.info(t("access.need_editor_kiosk" if is_kiosk() else f"access.need_editor_{mode()}"),
            icon=":material/lock:")
    return False


def editor_gate() -> None:
    """The sidebar's access box: the passcode form, the sign-in button, or the note that
    everyone can edit."""
    current = mode()
    with st.sidebar:
        if current == "open":
            st.caption(t("access.open_note"))
            return
        if current == "passcode":
            _passcode_box()
        else:
            _oidc_box()


def _passcode_box() -> None:
    if st.session_state.get(SESSION_KEY):
        st.caption(t("access.unlocked"))
        if st.button(t("access.lock"), key="access.lock", icon=":material/lock:"):
            st.session_state[SESSION_KEY] = False
            st.rerun()
        return
    with st.form("access.form", border=False):
        given = st.text_input(t("access.passcode"), type="password", key="access.passcode")
        submitted = st.form_submit_button(t("access.unlock"), icon=":material/lock_open:")
    if submitted:
        outcome = try_passcode(given)
        if outcome == "ok":
            st.rerun()
        st.error(t("access.locked_out" if outcome == "locked" else "access.wrong"))
    st.caption(t("access.viewer_note"))


def _oidc_box() -> None:
    if _logged_in():
        st.caption(t("access.signed_in", who=who() or "?"))
        if not can_edit():
            st.caption(t("access.not_an_editor"))
        if st.button(t("access.sign_out"), key="access.sign_out", icon=":material/logout:"):
            st.logout()
        return
    if st.button(t("access.sign_in"), key="access.sign_in", icon=":material/login:"):
        provider = oidc_provider()
        try:
            st.login(provider) if provider else st.login()
        except Exception as exc:  # Authlib missing or provider unreachable
            st.error(t("access.sign_in_failed", error=str(exc)))
    st.caption(t("access.viewer_note"))
