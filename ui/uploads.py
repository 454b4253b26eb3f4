"""Upload page helpers: keep uploaded files on disk for the run, and shape the tables it shows."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from store import importer
from store.layouts import norm
from ui.labels import platform_name

PLATFORMS = ["weibo", "wechat", "wechat_channels", "douyin", "xiaohongshu", "bilibili", "kuaishou", "toutiao", "zhihu",
             "facebook", "instagram", "tiktok", "youtube", "linkedin", "x", "google_ads", "meta_ads", "team"]

FIELD_HINTS = {
    "date": ["日期", "时间", "date", "day"], "followers_new": ["新增粉丝", "新增关注", "涨粉", "new follow", "new fans"],
    "followers_lost": ["减少粉丝", "取消关注", "掉粉", "unfollow", "lost"], "followers_net": ["净增", "net"],
    "followers_total": ["粉丝总数", "累计", "总粉丝", "total follow", "followers"], "posts": ["发博", "发布数", "posts"],
    "views": ["阅读", "播放", "观看", "views", "reads"], "impressions": ["曝光", "展现", "impressions"],
    "likes": ["点赞", "like"], "comments": ["评论", "comment"], "shares": ["转发", "分享", "share", "repost"],
    "favorites": ["收藏", "favorite", "save"], "title": ["标题", "内容", "title", "text"],
    "published_at": ["发布时间", "发表时间", "published", "time"], "post_id": ["id", "链接", "url"],
    "amount": ["金额", "花费", "消耗", "amount", "spend", "cost"], "channel": ["渠道", "channel"],
    "budget_line": ["预算", "budget"], "registrations": ["注册", "registration"], "orders": ["订单", "order"],
    "visitors": ["访客", "visitor"], "gmv": ["成交", "gmv"],
}


def _session_dir() -> Path:
    if "upload.tmpdir" not in st.session_state:
        st.session_state["upload.tmpdir"] = tempfile.mkdtemp(prefix="upload_")
    return Path(st.session_state["upload.tmpdir"])


def detect(con, uploaded) -> dict:
    """Save an uploaded file to the session's folder (once) and recognise it; cached per file."""
    cache = st.session_state.setdefault("upload.detected", {})
    key = f"{uploaded.file_id}:{uploaded.name}"
    if key not in cache:
        safe = re.sub(r"[^\w.\-]+", "_", uploaded.name)[-120:]
        path = _session_dir() / f"{len(cache)}_{safe}"
        path.write_bytes(uploaded.getvalue())
        info = importer.detect(con, path, uploaded.name)
        info["path"] = str(path)
        cache[key] = info
    return cache[key]


def account_choices(con, known: list[dict]) -> list[str]:
    """Accounts offered in the account column: every existing account and each platform's default."""
    names = [r[0] for r in con.execute("SELECT DISTINCT account FROM accounts ORDER BY account").fetchall()]
    names += [d["platform"] for d in known if d.get("needs_account")]
    return list(dict.fromkeys(names))


def detection_table(detected: list[dict], t) -> pd.DataFrame:
    """One row per file: name, what was recognised, and the account to import it into."""
    rows = []
    for d in detected:
        if d["status"] == "known":
            what = f"{platform_name(d['platform'])} · {d['title']}"
            account = d["accounts"][0] if len(d.get("accounts", [])) == 1 else (None if d["accounts"] else d["platform"])
            if not d.get("needs_account"):
                account = None
        elif d["status"] == "unknown":
            what, account = t("upload.unknown"), None
        else:
            what, account = d["error"], None
        rows.append({t("upload.col_file"): d["file"], t("upload.col_detected"): what, t("upload.col_account"): account})
    return pd.DataFrame(rows)


def tally(results) -> dict:
    statuses = [r["status"] if isinstance(r, dict) else r.status for r in results]
    return {s: statuses.count(s) for s in ("imported", "unchanged", "rejected")}


def results_table(results: list[dict], t) -> pd.DataFrame:
    """The per-file results: status, platform, report, account, rows inserted/updated, or the error."""
    return pd.DataFrame([{
        t("upload.col_file"): r["file"], t("upload.col_status"): t(f"upload.status.{r['status']}"),
        t("upload.col_platform"): platform_name(r.get("platform")), t("upload.col_report"): r.get("report") or "–",
        t("upload.col_account"): r.get("account") or "–", t("upload.col_rows"): r.get("rows", 0),
        t("upload.col_inserted"): r.get("inserted", 0), t("upload.col_updated"): r.get("updated", 0),
        t("upload.col_message"): r.get("error") or r.get("message") or ""} for r in results])


def rejections(results: list[dict]) -> list[str]:
    """The whole message of every file that was refused (it names the file, row and column), for
    a line of its own under the results table, where a long message is not cut off."""
    return [r.get("error") or r.get("message") or r["file"] for r in results if r["status"] == "rejected"]


def history_table(history: pd.DataFrame, t) -> pd.DataFrame:
    """Import history with ISO timestamps, statuses in words and column names from the
    label catalogue (``t`` translates)."""
    out = history.copy()
    out["imported_at"] = out["imported_at"].astype(str).str[:19]
    out["undone_at"] = out["undone_at"].astype(str).str[:19].replace({"NaT": "", "None": ""})
    statuses = {s: t(f"upload.history_status.{s}") for s in ("active", "undone")}
    out["status"] = [statuses.get(s, s) for s in out["status"]]
    out["platform"] = [platform_name(p) for p in out["platform"]]
    return out.rename(columns={c: t(key) for c, key in HISTORY_LABELS.items()})


HISTORY_LABELS = {c: f"upload.col_{c}" for c in ("import_id", "imported_at", "platform", "report", "account", "rows",
                                                 "inserted", "updated", "duplicates", "origin", "status", "undone_at")}
HISTORY_LABELS["file_name"] = "upload.col_file"


def import_label(history: pd.DataFrame, import_id) -> str:
    """'#12 · file.csv · Weibo · 2026-03-02 09:15' for one import of ``history``."""
    return import_labels(history)[import_id]


def import_labels(history: pd.DataFrame) -> dict:
    """``import_label`` of every import of ``history``, built in one pass (the undo picker
    formats each of its options)."""
    return {i: f"#{i} · {name} · {platform_name(platform)} · {str(at)[:16]}" for i, name, platform, at in
            zip(history["import_id"].tolist(), history["file_name"].tolist(), history["platform"].tolist(),
                history["imported_at"].tolist())}


def guess_header(field: str, headers: list[str]) -> str | None:
    """The header most likely to hold ``field`` (for the mapping form's first guess)."""
    hints = FIELD_HINTS.get(field, [field.replace("_", " ")])
    for hint in hints:
        for header in headers:
            if norm(hint) in norm(header):
                return header
    return None
