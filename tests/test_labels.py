"""The label catalogue: every key has English and Chinese text; every key used in code exists."""
from __future__ import annotations

import re
from pathlib import Path

from ui import labels

ROOT = Path(__file__).resolve().parent.parent


def test_no_key_is_missing_a_language():
    assert labels.problems() == []


def test_every_literal_key_used_in_the_code_is_in_the_catalogue():
    used = set()
    for path in list(ROOT.glob("pages/*.py")) + list(ROOT.glob("ui/*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[\w.]+)["']""", path.read_text(encoding="utf-8")))
    # A key ending in "_" or "." is a prefix completed at run time (t("goals.mode_" + mode)).
    missing = sorted(k for k in used if k not in labels.catalogue() and not k.endswith(("_", ".")))
    assert missing == []


def test_format_placeholders_match_between_languages():
    for key, entry in labels.catalogue().items():
        en = set(re.findall(r"{(\w+)}", entry["en"]))
        zh = set(re.findall(r"{(\w+)}", entry["zh"]))
        assert en == zh, key
