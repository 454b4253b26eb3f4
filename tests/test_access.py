"""Access: viewers see everything, writing needs an editor — a passcode from the secrets (compared
in constant time), or an OIDC sign-in; with neither, everyone edits and the app says so; the
stand-up URL is always read-only. Plus the server's safe defaults in .streamlit/config.toml."""
from __future__ import annotations

import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from tests import meetings_data as md
from tests.conftest import ROOT
from ui import access

APP = str(ROOT / "app.py")
CODE = "s3cret passcode"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "board", "client_secret": "y", "server_metadata_url": "https://id.example/.well-known/openid"}
SAVE = f"FormSubmitter:review.notes_form.{md.W2[0]}.0-Save the notes"


def test_the_mode_follows_the_secrets():
    assert access.mode({}) == "open"
    assert access.mode({"editor_passcode": CODE}) == "passcode"
    assert access.mode({"access": {"editor_passcode": CODE}}) == "passcode"
    assert access.mode({"editor_passcode": ""}) == "open"
    assert access.mode({"auth": AUTH, "editor_passcode": CODE}) == "oidc"          # sign-in wins
    named = {"auth": {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
                      "company": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}}}
    assert access.oidc_provider(named) == "company"
    assert access.mode({"auth": {"client_id": "x"}}) == "open"                        # incomplete: not configured
    assert access.passcode_matches(CODE, CODE) and not access.passcode_matches(CODE[:-1], CODE)
    assert not access.passcode_matches("", CODE)


def _probe():
    import streamlit as st

    from ui import access
    st.write(f"edit={access.can_edit()} mode={access.mode()}")


@pytest.mark.parametrize("view, expected", [(None, "edit=True mode=open"), ("standup", "edit=False mode=open")])
def test_everyone_edits_without_secrets_except_on_the_standup_url(view, expected):
    at = AppTest.from_function(_probe)
    if view:
        at.query_params["view"] = view
    at.run()
    assert at.markdown[0].value == expected


def _gate():
    import streamlit as st

    from ui import access
    access.editor_gate()
    st.write(f"edit={access.can_edit()}")


def _edit(at) -> str:
    return next(m.value for m in at.main.markdown if m.value.startswith("edit="))


@pytest.fixture
def gate():
    access.reset_failures()
    yield AppTest.from_function(_gate)
    access.reset_failures()


def _unlock(at, code: str):
    at.sidebar.text_input(key="access.passcode").input(code)
    at.sidebar.button(key="FormSubmitter:access.form-Unlock editing").click().run()
    assert not at.exception


def test_without_secrets_the_app_says_everyone_edits(gate):
    gate.run()
    assert _edit(gate) == "edit=True"
    assert any("Everyone can edit" in c.value for c in gate.sidebar.caption)


def test_the_passcode_gate_denies_then_allows(gate):
    gate.secrets["editor_passcode"] = CODE
    gate.run()
    assert _edit(gate) == "edit=False"
    assert any("You are viewing" in c.value for c in gate.sidebar.caption)
    _unlock(gate, "wrong")
    assert any("not right" in e.value for e in gate.sidebar.error)
    assert _edit(gate) == "edit=False"
    _unlock(gate, CODE)
    assert _edit(gate) == "edit=True"
    assert any("unlocked" in c.value for c in gate.sidebar.caption)
    gate.sidebar.button(key="access.lock").click().run()        # lock again
    assert _edit(gate) == "edit=False"
    assert gate.sidebar.text_input(key="access.passcode")


def test_too_many_wrong_passcodes_lock_the_box(gate):
    gate.secrets["editor_passcode"] = CODE
    gate.run()
    for _ in range(access.MAX_FAILURES):
        _unlock(gate, "guess")
    _unlock(gate, CODE)
    assert any("Too many wrong passcodes" in e.value for e in gate.sidebar.error)
    assert _edit(gate) == "edit=False"


def test_oidc_sign_in(gate):
    gate.secrets["auth"] = AUTH
    gate.user = {"is_logged_in": False}
    gate.run()
    assert _edit(gate) == "edit=False" and gate.sidebar.button(key="access.sign_in")
    gate.user = {"is_logged_in": True, "email": "ed@example.com", "name": "Ed"}
    gate.run()
    assert _edit(gate) == "edit=True"
    assert any("Signed in as Ed" in c.value for c in gate.sidebar.caption)
    assert gate.sidebar.button(key="access.sign_out")


def test_an_editors_list_limits_who_edits(gate):
    gate.secrets["auth"] = AUTH
    gate.secrets["access"] = {"editors": ["boss@example.com"]}
    gate.user = {"is_logged_in": True, "email": "ed@example.com", "name": "Ed"}
    gate.run()
    assert _edit(gate) == "edit=False"
    assert any("not on the editors list" in c.value for c in gate.sidebar.caption)


@pytest.fixture
def app(db_path):
    from store import connection
    md.build(connection.cursor(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["today"] = md.TODAY.isoformat()
    return at


def _review(at, tab: str = "Notes per role"):
    at.run()
    at.switch_page("pages/review.py").run()
    at.selectbox(key="review.week").set_value(md.W2[0]).run()
    return _tab(at, tab)


def _tab(at, label: str):
    at.session_state["review.tab"] = label                      # only the open tab runs
    at.run()
    assert not at.exception
    return at


def _task_form(at) -> bool:
    return any(b.key and b.key.startswith("FormSubmitter:review.task_form") for b in at.button)


def _can_save(at) -> bool:
    return any(b.key == SAVE for b in at.button) and len(at.text_area) > 0


def test_the_review_page_writes_only_for_an_editor(app):
    app.secrets["editor_passcode"] = CODE
    at = _review(app)
    assert not _can_save(at)                                     # a viewer: no notes form…
    assert any("enter the editor passcode" in i.value for i in at.info)
    _tab(at, "Tasks")
    assert not _task_form(at)                                    # …and no task form
    assert any("enter the editor passcode" in i.value for i in at.info)
    at.session_state[access.SESSION_KEY] = True                  # what the gate sets on the right passcode
    assert _task_form(_tab(at, "Tasks"))
    assert _can_save(_tab(at, "Notes per role"))


def test_a_signed_in_editor_is_named_in_the_forms(app):
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": "ed@example.com", "name": "Ed"}
    at = _review(app)
    assert _can_save(at)
    assert at.text_input(key="review.notes_who.0").value == "Ed"


def test_server_defaults_are_safe():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
