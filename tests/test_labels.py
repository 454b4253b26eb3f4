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


def test_every_platform_an_export_or_the_mapping_form_can_name_has_a_name_in_both_languages():
    import re
    from pathlib import Path

    from ui.labels import platform_name
    from ui.uploads import PLATFORMS
    layouts = Path(__file__).resolve().parent.parent / "data" / "layouts"
    declared = {m for p in layouts.glob("*.toml")
                for m in re.findall(r'^platform\s*=\s*"([a-z_]+)"', p.read_text(encoding="utf-8"), re.M)}
    for pid in set(PLATFORMS) | declared:
        for lang in ("en", "zh"):
            assert platform_name(pid, lang) != pid or pid == "x", (pid, lang)
    assert platform_name("wechat", "en") == "WeChat" and platform_name("xiaohongshu", "zh") == "小红书"
    assert platform_name("some_new_platform", "en") == "some_new_platform"     # unknown ids are shown as they are
    assert platform_name(None, "en") == "–"


def test_a_kpi_scope_reads_in_the_language_of_the_view():
    from ui.labels import scope_label
    kept = "weibo: CityEats 微博, xiaohongshu: CityEats 小红书, channel: Alliances"
    assert scope_label(kept, "en") == "Weibo: CityEats 微博, Xiaohongshu: CityEats 小红书, Channel: Alliances"
    assert scope_label(kept, "zh") == "微博: CityEats 微博, 小红书: CityEats 小红书, 渠道: Alliances"
    assert scope_label("team", "zh") == "团队" and scope_label("team · wechat", "en") == "Team · WeChat"
    # a person's name (manual inputs) and an account whose name holds ': ' stay as they are
    assert scope_label("Chen Jing", "zh") == "Chen Jing"
    assert scope_label("weibo: Shop: Main", "en") == "Weibo: Shop: Main"
    assert scope_label(None, "en") == "–" and scope_label("–", "en") == "–"


def test_a_goal_scope_names_its_platform():
    from ui.labels import goal_scope_name
    assert goal_scope_name("account", "wechat / CityEats 订阅号", "en") == "WeChat / CityEats 订阅号"
    assert goal_scope_name("account", "xiaohongshu / CityEats 小红书", "zh") == "小红书 / CityEats 小红书"
    assert goal_scope_name("platform", "weibo", "zh") == "微博"
    assert goal_scope_name("person", "Chen Jing", "zh") == "Chen Jing"
    assert goal_scope_name("team", "", "en") == "" and goal_scope_name(None, None, "en") == ""
