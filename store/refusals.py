"""What every refused write shares: the refusal with its problems as label keys, and the test
for a blank cell coming from an editor (None, NaN, NaT, pandas NA, empty or spaces)."""
from __future__ import annotations

import math


class WriteRefused(ValueError):
    """A write was refused; ``problems`` are (label key, format values), one per problem found."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__(" ".join(self.messages()))

    def messages(self, lang: str = "en") -> list[str]:
        """Each problem in ``lang`` ('en' or 'zh')."""
        from ui.labels import t
        return [t(key, lang=lang, **params) for key, params in self.problems]


def is_blank(x) -> bool:
    """True for a cell that holds nothing: None, NaN, NaT, pandas NA, or a text of spaces."""
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    if isinstance(x, str):
        return not x.strip()
    if isinstance(x, (list, tuple, dict)):
        return False
    try:
        import pandas as pd
        return x is pd.NaT or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False
