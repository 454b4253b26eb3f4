"""Paging of long tables: the rows a person can read at once, the page picked in a number
input (only when there is more than one page), and the "showing a–b of n" numbers."""
from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from ui.labels import t


@dataclass(frozen=True)
class Page:
    """Rows ``first``–``last`` (1-based, inclusive) of ``total``; ``offset``/``limit`` for SQL."""
    number: int
    pages: int
    total: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)


def page_count(total: int, size: int) -> int:
    """Pages of ``size`` rows needed for ``total`` rows (at least one)."""
    return max(1, math.ceil(total / size))


def pager(key: str, total: int, size: int, label_key: str, container=None) -> Page:
    """The page of ``total`` rows to show: a number input labelled ``t(label_key, pages=…)``
    when there is more than one page; the page kept in ``st.session_state[key]`` is brought
    back into range when the rows become fewer."""
    pages = page_count(total, size)
    if pages == 1:
        st.session_state.pop(key, None)
        return Page(1, 1, total, size)
    current = st.session_state.get(key)
    if not isinstance(current, int) or not 1 <= current <= pages:
        st.session_state[key] = min(max(int(current or 1), 1), pages) if isinstance(current, int) else 1
    number = (container or st).number_input(t(label_key, pages=pages), min_value=1, max_value=pages, step=1,
                                            key=key)
    return Page(int(number), pages, total, size)


def reset(*keys: str) -> None:
    """Back to the first page (after the filter or the order changed)."""
    for key in keys:
        st.session_state.pop(key, None)
