"""The label catalogue: every text shown in the UI, in English and Simplified Chinese.

Labels live in ``data/labels/*.toml`` (one file per area), each key a table with ``en`` and
``zh``. ``t(key)`` returns the label in the current language, formatted with ``kwargs``.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LABEL_DIR = Path(__file__).resolve().parent.parent / "data" / "labels"
LANGUAGES = ("en", "zh")
_fallback = {"lang": "en"}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All labels, merged from every catalogue file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LABEL_DIR.glob("*.toml")):
        for key, value in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"label {key!r} is defined twice (second time in {path.name})")
            merged[key] = value
    return merged


def problems() -> list[str]:
    """Every key missing a language or holding an empty text, for the tests."""
    found = []
    for key, value in catalogue().items():
        for lang in LANGUAGES:
            if not isinstance(value, dict) or not str(value.get(lang, "")).strip():
                found.append(f"{key}: no {lang} text")
    return found


def set_language(lang: str) -> None:
    """Set the language of this browser session (or of the process outside Streamlit)."""
    lang = lang if lang in LANGUAGES else "en"
    _fallback["lang"] = lang  # what code outside a script run (AppTest's format_func) sees
    try:
        import streamlit as st
        if st.runtime.exists():
            st.session_state["ui.lang"] = lang
            return
    except Exception:  # not running inside Streamlit
        pass
    _fallback["lang"] = lang


def language() -> str:
    """The current session's language code, ``en`` or ``zh``."""
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        if st.runtime.exists() and get_script_run_ctx(suppress_warning=True) is not None:
            return st.session_state.get("ui.lang", "en")
    except Exception:
        pass
    return _fallback["lang"]


def _blank(x) -> bool:
    """None, '', NaN or pandas' NA (whose comparisons are NA themselves)."""
    if x is None or isinstance(x, str):
        return not x
    try:
        return bool(x != x)
    except TypeError:
        return True


def code_label(prefix: str, code, missing: str = "–", lang: str | None = None) -> str:
    """The label ``prefix.code`` in ``lang`` (the code itself when the catalogue has no such
    label; ``missing`` for no code)."""
    if _blank(code):
        return missing
    entry = catalogue().get(f"{prefix}.{code}")
    return str(code) if entry is None else entry[lang or language()]


def platform_name(platform, lang: str | None = None) -> str:
    """A platform's name as people write it ('wechat' → 'WeChat' / '微信公众号'); an id the
    catalogue does not know is shown as it is, a missing one as '–'."""
    return code_label("platform", platform, lang=lang)


def goal_scope_name(kind, name, lang: str | None = None) -> str:
    """A goal's or task's scope name (``metrics.goals.scope_name``) with its platform by name:
    'wechat / CityEats 订阅号' → 'WeChat / CityEats 订阅号', 'weibo' → 'Weibo' ('' for the team)."""
    if _blank(name):
        return ""
    if kind == "platform":
        return platform_name(name, lang)
    if kind == "account":
        platform, sep, account = str(name).partition(" / ")
        if sep:
            return f"{platform_name(platform, lang)} / {account}"
    return str(name)


def scope_label(text, lang: str | None = None) -> str:
    """A KPI's scope as the appraisal writes and keeps it ('weibo: CityEats 微博, channel:
    Alliances', 'team · wechat', 'team') in the words of ``lang``: platform names and the words
    team and channel translated; accounts, channels and people's names as they are."""
    if _blank(text):
        return "–"
    lang = lang or language()
    team, _, platform = str(text).partition(" · ")
    if team == "team":
        return t("scope.team", lang) + (f" · {platform_name(platform, lang)}" if platform else "")
    known = catalogue()
    parts = []
    for part in str(text).split(", "):
        head, sep, rest = part.partition(": ")
        if sep and head == "channel":
            part = f"{t('scope.channel', lang)}: {rest}"
        elif sep and f"platform.{head}" in known:
            part = f"{platform_name(head, lang)}: {rest}"
        parts.append(part)
    return ", ".join(parts)


def t(key: str, lang: str | None = None, **kwargs) -> str:
    """The label for ``key`` in ``lang`` (default: the current language)."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"label {key!r} is not in the catalogue (data/labels/*.toml)")
    text = entry[lang or language()]
    return text.format(**kwargs) if kwargs else text
