"""Rendering helpers shared by the Budget, Channels and Content views: cached metric calls
and tables formatted with thousands separators and one-decimal percentages."""
from __future__ import annotations

import importlib
import math
from typing import Callable

import pandas as pd
import streamlit as st

from ui import db
from ui import format as fmt
from ui.labels import code_label, t


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_con, module: str, name: str, version: int, args: tuple):
    func = getattr(importlib.import_module(module), name)
    return func(_con, *args)


def run(func: Callable, *args):
    """Call a ``metrics`` function ``func(con, *args)`` through the data cache (refreshed
    when the store's data version changes)."""
    return _cached(db.cursor(), func.__module__, func.__name__, db.version(), tuple(args))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def code_labels(prefix: str, codes, missing: str = "–") -> list[str]:
    """``code_label`` of every code in ``codes``, each distinct code looked up once."""
    found: dict = {}
    out = []
    for code in codes:
        if _missing(code) or code == "":
            out.append(missing)
            continue
        text = found.get(code)
        if text is None:
            text = found[code] = code_label(prefix, code, missing)
        out.append(text)
    return out


FORMATTERS: dict[str, Callable] = {
    "text": lambda v: "–" if _missing(v) else str(v),
    "count": fmt.count,
    "money": fmt.money,
    "pct": fmt.pct,
    "change": lambda v: fmt.pct(v, signed=True),
    "number": lambda v: fmt.number(v, 1),
    "number2": lambda v: fmt.number(v, 2),
    "date": fmt.date,
    "datetime": lambda v: "–" if _missing(v) else str(v)[:16],
    "bool": lambda v: "–" if _missing(v) else (t("budget.yes") if v else t("budget.no")),
}


def _present(v) -> bool:
    return not (v is None or v is pd.NA or (isinstance(v, float) and v != v))


# The same texts as ``FORMATTERS`` (``ui.format``), written as one loop per column: a table of
# 20,000 posts has 260,000 cells, and a function call or two per cell is most of its time.
_COLUMN_FORMATS: dict[str, Callable[[list], list[str]]] = {
    "text": lambda vs: [str(v) if _present(v) else "–" for v in vs],
    "count": lambda vs: [f"{round(v):,}" if _present(v) else "–" for v in vs],
    "money": lambda vs: [f"¥{v:,.2f}" if _present(v) else "–" for v in vs],
    "pct": lambda vs: [f"{v * 100:,.1f} %" if _present(v) else "–" for v in vs],
    "change": lambda vs: [f"{v * 100:+,.1f} %" if _present(v) else "–" for v in vs],
    "number": lambda vs: [f"{v:,.1f}" if _present(v) else "–" for v in vs],
    "number2": lambda vs: [f"{v:,.2f}" if _present(v) else "–" for v in vs],
    "platform": lambda vs: code_labels("platform", vs),
}


def display_frame(frame: pd.DataFrame, columns: list[tuple]) -> pd.DataFrame:
    """A frame of display strings. ``columns``: (column, label key, kind) or
    (column, label key, callable) — kind one of ``FORMATTERS``."""
    out = {}
    for column, label_key, kind in columns:
        values = frame[column].tolist() if column in frame.columns else [None] * len(frame)
        if not callable(kind) and kind in _COLUMN_FORMATS:
            out[t(label_key)] = _COLUMN_FORMATS[kind](values)
            continue
        formatter = kind if callable(kind) else FORMATTERS[kind]
        out[t(label_key)] = [formatter(None if _missing(v) else v) for v in values]
    return pd.DataFrame(out)


def show_table(frame: pd.DataFrame, columns: list[tuple], key: str | None = None) -> None:
    """Render ``frame`` as a read-only table of formatted strings, without the index."""
    st.dataframe(display_frame(frame, columns), hide_index=True, width="stretch", key=key)
