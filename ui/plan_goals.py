"""Plan view, goals-and-phases tab: edit phases and goals (one form, one transaction), split a
goal across the team and over time, and propose a target from history.

Editors follow the Streamlit #7749 rule: the editor's output is never fed back as its input;
after a save the editor key changes so the next run starts from the store.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui import access

from metrics import catalog, plan_core
from metrics import goals as gm
from metrics.decomposition import GRAINS, MODES
from store import plan_goals as store
from ui import format as fmt
from ui import goals_widgets as gw
from ui.labels import goal_scope_name, language, t
from ui.period import today

PHASE_EDITOR = "goals.phases_editor"
GOAL_EDITOR = "goals.goals_editor"
MEMBER_EDITOR = "goals.members_editor"
PARTS_EDITOR = "goals.parts_editor"


def editor_key(name: str) -> str:
    """The current key of an editor (it changes after every save)."""
    return f"{name}.{st.session_state.get(name + '_version', 0)}"


def _bump(*names: str) -> None:
    for name in names:
        st.session_state[name + "_version"] = st.session_state.get(name + "_version", 0) + 1


def _show_problems(problems) -> None:
    st.error(t("goals.refused") + "\n\n" + "\n".join(f"- {p.text(language())}" for p in problems))


def _scope_code(kind, ref) -> str:
    return f"{kind or 'team'}|{'' if ref is None else ref}"


def _scope_options(con) -> dict[str, str]:
    """Encoded scope → its text (as ``goals_widgets.scope_text`` writes it, made unique), for
    the pickers. The editors offer the texts themselves as options (``_scope_codes`` turns them
    back into codes): a ``format_func`` over thousands of accounts and people costs ~25 ms per
    editor in Streamlit's column config. Each kind's label is looked up once."""
    kinds: dict[str, str] = {}
    out: dict[str, str] = {}
    lang = language()
    for kind, ref, name in gm.scope_options(con):
        kind = kind or "team"
        if kind not in kinds:
            kinds[kind] = gw.scope_text(kind, None)
        out[_scope_code(kind, ref)] = (kinds[kind] if kind == "team" or not name
                                       else f"{kinds[kind]}: {goal_scope_name(kind, name, lang)}")
    seen: dict[str, int] = {}
    for text in out.values():
        seen[text] = seen.get(text, 0) + 1
    return {code: (f"{text} [{code}]" if seen[text] > 1 else text) for code, text in out.items()}


def _scope_codes(scopes: dict[str, str]) -> dict[str, str]:
    """Scope text → encoded scope (the inverse of ``_scope_options``)."""
    return {text: code for code, text in scopes.items()}


def _decode_scope(value, codes: dict[str, str]) -> str | None:
    """An editor's scope cell (a text, or already a code) → the encoded scope."""
    value = gm.clean(value)
    return None if value is None else codes.get(value, value)


def _is_percent(metric: str | None, rule: str | None) -> bool:
    met = catalog.METRICS.get(metric or "")
    return rule == "growth" or (met is not None and met.unit == "ratio")


def _to_display(value, percent: bool):
    return None if gw.missing(value) else (value * 100 if percent else value)


def _from_display(value, percent: bool):
    return None if gw.missing(value) else (float(value) / 100 if percent else float(value))


# ------------------------------------------------------------------ phases and goals form
def _phase_frame(con) -> pd.DataFrame:
    rows = gm.phases(con)
    frame = pd.DataFrame(rows, columns=["phase_id", "code", "name", "start_date", "end_date", "follower_target",
                                        "follower_basis", "budget"])
    for col in ("start_date", "end_date"):
        frame[col] = pd.to_datetime(frame[col])
    frame["follower_target"] = frame["follower_target"].astype("Float64")
    frame["budget"] = frame["budget"].astype("Float64")
    return frame


ALL_GOALS = "all"


def _goal_filter(phases: pd.DataFrame, current_id: int | None) -> str:
    """The goals the editor lists: a phase's (default: the current phase's) or all of them."""
    options = [str(int(pid)) for pid in phases["phase_id"]] + [ALL_GOALS]
    names = {str(int(r.phase_id)): t("goals.filter_phase", name=r.name, start=fmt.date(r.start_date),
                                     end=fmt.date(r.end_date)) for r in phases.itertuples()}
    names[ALL_GOALS] = t("goals.filter_all")
    default = str(current_id) if current_id is not None and str(current_id) in options else ALL_GOALS
    if st.session_state.get("goals.filter") not in options:
        st.session_state["goals.filter"] = default
    return st.selectbox(t("goals.filter"), options, key="goals.filter", format_func=names.get,
                        help=t("goals.filter_help"))


def _goal_frame(goals: list, scopes: dict[str, str]) -> pd.DataFrame:
    rows = []
    for g in goals:
        pct = _is_percent(g.metric, g.rule)
        rows.append({"goal_id": g.goal_id, "is_ultimate": g.is_ultimate, "name": g.name, "metric": g.metric,
                     "scope": scopes.get(_scope_code(g.scope_kind, g.scope_ref),
                                         _scope_code(g.scope_kind, g.scope_ref)),
                     "phase": None if g.phase_id is None else str(g.phase_id),
                     "start_date": g.start_date, "end_date": g.end_date, "kind": g.kind, "rule": g.rule,
                     "target": _to_display(g.target, pct), "floor": _to_display(g.floor, pct),
                     "split_mode": g.split_mode, "split_grain": g.split_grain,
                     "curve_growth": _to_display(g.curve_growth, True), "weekday_weights": g.weekday_weights,
                     "note": g.note})
    frame = pd.DataFrame(rows, columns=["goal_id", "is_ultimate", "name", "metric", "scope", "phase", "start_date",
                                        "end_date", "kind", "rule", "target", "floor", "split_mode", "split_grain",
                                        "curve_growth", "weekday_weights", "note"])
    for col in ("start_date", "end_date"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("target", "floor", "curve_growth"):
        frame[col] = frame[col].astype("Float64")
    frame["is_ultimate"] = frame["is_ultimate"].astype("boolean")
    return frame


def _goal_records(edited: pd.DataFrame, codes: dict[str, str]) -> list[dict]:
    """Editor rows → store rows (scope decoded, percentages back to fractions)."""
    out = []
    for rec in edited.to_dict("records"):
        rec = {k: gm.clean(v) for k, v in rec.items()}
        if all(rec.get(k) is None for k in ("name", "metric", "target", "start_date", "end_date", "phase")):
            continue  # an added row left empty
        kind, _, ref = (_decode_scope(rec.pop("scope", None), codes) or "team|").partition("|")
        pct = _is_percent(rec.get("metric"), rec.get("rule"))
        phase = rec.pop("phase", None)
        out.append({**rec, "scope_kind": kind, "scope_ref": ref or None,
                    "phase_id": None if phase is None else int(phase),
                    "target": _from_display(rec.get("target"), pct), "floor": _from_display(rec.get("floor"), pct),
                    "curve_growth": _from_display(rec.get("curve_growth"), True),
                    "is_ultimate": bool(rec.get("is_ultimate") or False)})
    return out


def _plan_form(con, phases: pd.DataFrame, total: int, shown: list, editor: str, scopes: dict[str, str]) -> None:
    phase_names = {str(int(r.phase_id)): r.name for r in phases.itertuples()}
    lang = language()
    metric_ids = sorted(catalog.METRICS, key=lambda m: (catalog.METRICS[m].group, catalog.METRICS[m].label(lang)))
    with st.form("goals.plan_form", border=False):
        st.subheader(t("goals.phases_heading"))
        st.caption(t("goals.phases_caption"))
        edited_phases = st.data_editor(
            phases, key=editor_key(PHASE_EDITOR), num_rows="dynamic", hide_index=True, placeholder="–", width="stretch",
            column_config={
                "phase_id": None,
                "code": st.column_config.SelectboxColumn(t("goals.col_phase_code"), options=list(gm.PHASE_CODES),
                                                         format_func=lambda c: t("goals.phase_code_" + c),
                                                         default="custom", required=True),
                "name": st.column_config.TextColumn(t("goals.col_name"), required=True),
                "start_date": st.column_config.DateColumn(t("goals.col_start"), format="YYYY-MM-DD"),
                "end_date": st.column_config.DateColumn(t("goals.col_end"), format="YYYY-MM-DD"),
                "follower_target": st.column_config.NumberColumn(t("goals.col_follower_target"), min_value=0,
                                                                 step=1, format="localized"),
                "follower_basis": st.column_config.SelectboxColumn(
                    t("goals.col_follower_basis"), options=list(gm.FOLLOWER_BASES), default="total",
                    format_func=lambda b: t("goals.basis_" + b), help=t("goals.follower_basis_help")),
                "budget": st.column_config.NumberColumn(t("goals.col_budget"), min_value=0, format="localized"),
            })
        st.subheader(t("goals.goals_heading"))
        st.caption(t("goals.goals_caption"))
        if len(shown) < total:
            st.caption(t("goals.filter_showing", shown=len(shown), total=total))
        edited_goals = st.data_editor(
            _goal_frame(shown, scopes), key=editor, num_rows="dynamic", hide_index=True, placeholder="–",
            width="stretch",
            column_config={
                "goal_id": None,
                "is_ultimate": st.column_config.CheckboxColumn(t("goals.col_ultimate"), default=False,
                                                               help=t("goals.ultimate_help")),
                "name": st.column_config.TextColumn(t("goals.col_name")),
                "metric": st.column_config.SelectboxColumn(
                    t("goals.col_metric"), options=metric_ids, width="medium",
                    format_func=lambda m: catalog.METRICS[m].label(lang) if m in catalog.METRICS else str(m)),
                "scope": st.column_config.SelectboxColumn(t("goals.col_scope"), options=list(scopes.values()),
                                                          default=scopes.get("team|")),
                "phase": st.column_config.SelectboxColumn(t("goals.col_phase"), options=list(phase_names),
                                                          format_func=lambda p: phase_names.get(p, p),
                                                          help=t("goals.phase_help")),
                "start_date": st.column_config.DateColumn(t("goals.col_start"), format="YYYY-MM-DD"),
                "end_date": st.column_config.DateColumn(t("goals.col_end"), format="YYYY-MM-DD"),
                "kind": st.column_config.SelectboxColumn(t("goals.col_kind"), options=list(gm.GOAL_KINDS),
                                                         default="outcome",
                                                         format_func=lambda k: t("goals.kind_" + k)),
                "rule": st.column_config.SelectboxColumn(t("goals.col_rule"), options=list(gm.RULES), default="reach",
                                                         format_func=lambda r: t("goals.rule_" + r)),
                "target": st.column_config.NumberColumn(t("goals.col_target"), help=t("goals.target_help")),
                "floor": st.column_config.NumberColumn(t("goals.col_floor"), help=t("goals.floor_help")),
                "split_mode": st.column_config.SelectboxColumn(t("goals.col_split_mode"), options=list(MODES),
                                                               default="even",
                                                               format_func=lambda m: t("goals.mode_" + m)),
                "split_grain": st.column_config.SelectboxColumn(t("goals.col_split_grain"), options=list(GRAINS),
                                                                default="month",
                                                                format_func=lambda g: t("goals.grain_" + g)),
                "curve_growth": st.column_config.NumberColumn(t("goals.col_curve"), help=t("goals.curve_help")),
                "weekday_weights": st.column_config.TextColumn(t("goals.col_weekday"), help=t("goals.weekday_help")),
                "note": st.column_config.TextColumn(t("goals.col_note")),
            })
        saved = st.form_submit_button(t("goals.save"), type="primary", disabled=not access.can_edit())
    if saved:
        try:
            counts = store.save_plan(con, phases=edited_phases, goals=_goal_records(edited_goals, _scope_codes(scopes)),
                                     shown_goals={g.goal_id for g in shown})
        except store.PlanRefused as refused:
            _show_problems(refused.problems)
            return
        _bump(PHASE_EDITOR, GOAL_EDITOR, MEMBER_EDITOR, PARTS_EDITOR)
        st.session_state["goals.flash"] = t("goals.saved", phases=counts["phases"], goals=counts["goals"],
                                            deleted=counts["deleted_goals"] + counts["deleted_phases"])
        st.rerun()


# ------------------------------------------------------------------ split of one goal
def _split_section(con, top: list, any_goal: bool, scope_texts: dict[str, str]) -> None:
    st.subheader(t("goals.split_heading"))
    if not top:
        st.info(t("goals.split_empty") if not any_goal else t("goals.split_none_here"))
        return
    lang = language()
    titles = {g.goal_id: f"{g.title(lang)} · {fmt.date(g.start_date)} – {fmt.date(g.end_date)}" for g in top}
    chosen = st.selectbox(t("goals.split_pick"), list(titles), format_func=lambda g: titles[g], key="goals.split_goal")
    goal = next(g for g in top if g.goal_id == chosen)
    met = catalog.get(goal.metric)
    pct = met.unit == "ratio"  # parts hold absolute targets (a growth goal has none)
    computed = store.generate_parts(con, goal.goal_id)
    st.caption(t("goals.split_caption_" + met.pace, mode=t("goals.mode_" + goal.split_mode),
                 grain=t("goals.grain_" + goal.split_grain)))
    if not computed and goal.rule == "growth":
        st.caption(t("goals.no_previous_note"))
    scopes = {k: v for k, v in scope_texts.items() if not k.startswith("team|")}
    kids = gm.children(con, goal.goal_id)
    members = pd.DataFrame([{"scope": scopes.get(_scope_code(k.scope_kind, k.scope_ref),
                                              _scope_code(k.scope_kind, k.scope_ref)), "share": k.share, "name": k.name}
                            for k in kids], columns=["scope", "share", "name"])
    members["share"] = members["share"].astype("Float64")
    custom = goal.split_mode == "custom" and goal.parts
    start_rows = [{"start_date": s, "end_date": e, "target": _to_display(v, pct)} for s, e, v in goal.parts] \
        if custom else [{**r, "target": _to_display(r["target"], pct)} for r in computed]
    parts = pd.DataFrame(start_rows, columns=["start_date", "end_date", "target"])
    for col in ("start_date", "end_date"):
        parts[col] = pd.to_datetime(parts[col])
    parts["target"] = parts["target"].astype("Float64")
    with st.form("goals.split_form", border=False):
        st.markdown(f"**{t('goals.members_heading')}**")
        st.caption(t("goals.members_caption_" + ("split" if met.additive else "inherit")))
        edited_members = st.data_editor(
            members, key=f"{editor_key(MEMBER_EDITOR)}.{goal.goal_id}", num_rows="dynamic", hide_index=True,
            width="stretch",
            column_config={
                "scope": st.column_config.SelectboxColumn(t("goals.col_member"), options=list(scopes.values()),
                                                          required=True),
                "share": st.column_config.NumberColumn(t("goals.col_share"), min_value=0,
                                                       help=t("goals.share_help")),
                "name": st.column_config.TextColumn(t("goals.col_name")),
            })
        st.markdown(f"**{t('goals.parts_edit_heading')}**")
        use_custom = st.checkbox(t("goals.use_custom"), value=bool(custom), key=f"goals.use_custom.{goal.goal_id}",
                                 help=t("goals.use_custom_help"), disabled=goal.rule == "growth")
        edited_parts = st.data_editor(
            parts, key=f"{editor_key(PARTS_EDITOR)}.{goal.goal_id}", num_rows="dynamic", hide_index=True,
            width="stretch",
            column_config={
                "start_date": st.column_config.DateColumn(t("goals.col_start"), format="YYYY-MM-DD"),
                "end_date": st.column_config.DateColumn(t("goals.col_end"), format="YYYY-MM-DD"),
                "target": st.column_config.NumberColumn(t("goals.col_target"), help=t("goals.target_help")),
            })
        saved = st.form_submit_button(t("goals.save_split"), type="primary", disabled=not access.can_edit())
    if saved:
        codes = _scope_codes(scopes)
        member_rows = []
        for rec in edited_members.to_dict("records"):
            code = _decode_scope(rec.get("scope"), codes)
            if code is None:
                continue
            kind, _, ref = code.partition("|")
            member_rows.append({"scope_kind": kind, "scope_ref": ref, "share": gm.clean(rec.get("share")),
                                "name": gm.clean(rec.get("name"))})
        part_rows = None
        if use_custom:
            part_rows = [{"start_date": r["start_date"], "end_date": r["end_date"],
                          "target": _from_display(gm.clean(r["target"]), pct)} for r in edited_parts.to_dict("records")]
        elif custom:
            part_rows = []
        try:
            result = store.save_split(con, goal.goal_id, members=member_rows, parts=part_rows)
        except store.PlanRefused as refused:
            _show_problems(refused.problems)
            return
        _bump(MEMBER_EDITOR, PARTS_EDITOR, GOAL_EDITOR)
        st.session_state["goals.flash"] = t("goals.split_saved", children=result["children"], parts=result["parts"])
        st.rerun()


# ------------------------------------------------------------------ suggestion from history
def _suggest_section(con, scopes: dict[str, str]) -> None:
    with st.expander(t("goals.suggest_heading")):
        lang = language()
        metric_ids = sorted(catalog.METRICS, key=lambda m: catalog.METRICS[m].label(lang))
        c1, c2 = st.columns(2)
        metric = c1.selectbox(t("goals.col_metric"), metric_ids, key="goals.suggest_metric",
                              index=metric_ids.index("orders") if "orders" in metric_ids else 0,
                              format_func=lambda m: catalog.METRICS[m].label(lang))
        scope = c2.selectbox(t("goals.col_scope"), list(scopes), format_func=lambda c: scopes[c],
                             key="goals.suggest_scope")
        day = today()
        first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        c3, c4, c5 = st.columns(3)
        start = c3.date_input(t("goals.col_start"), value=first, key="goals.suggest_start", format="YYYY-MM-DD")
        end = c4.date_input(t("goals.col_end"), value=last, key="goals.suggest_end", format="YYYY-MM-DD")
        uplift = c5.number_input(t("goals.suggest_uplift"), value=50.0, step=5.0, key="goals.suggest_uplift")
        if end < start:
            st.warning(t("goals.err_end_before_start", row="–", start=fmt.date(start), end=fmt.date(end)))
            return
        kind, _, ref = scope.partition("|")
        goal = gm.Goal(metric=metric, start_date=start, end_date=end, target=0.0, scope_kind=kind,
                       scope_ref=ref or None)
        result = gm.suggest_target(con, metric, start, end, uplift / 100, gm.scope_of(con, goal))
        unit = catalog.get(metric).unit
        if result["suggestion"] is None:
            st.info(t("goals.suggest_none", start=fmt.date(result["previous_start"]),
                      end=fmt.date(result["previous_end"])))
            return
        st.markdown(t("goals.suggest_result", start=fmt.date(result["previous_start"]),
                      end=fmt.date(result["previous_end"]), previous=gw.value_text(result["previous"], unit),
                      uplift=fmt.pct(uplift / 100, signed=True),
                      suggestion=gw.value_text(result["suggestion"], unit)))
        if st.button(t("goals.suggest_accept"), key="goals.suggest_accept", disabled=not access.can_edit()):
            try:
                store.save_goal(con, metric=metric, target=result["suggestion"], start_date=start, end_date=end,
                                scope_kind=kind, scope_ref=ref or None,
                                kind="output" if metric in ("posts", "original_posts") else "outcome",
                                note=t("goals.suggest_note", previous=gw.value_text(result["previous"], unit),
                                       uplift=fmt.pct(uplift / 100, signed=True)))
            except store.PlanRefused as refused:
                _show_problems(refused.problems)
                return
            _bump(GOAL_EDITOR)
            st.session_state["goals.flash"] = t("goals.suggest_added")
            st.rerun()


def render(con) -> None:
    """The goals-and-phases tab of the Plan view."""
    flash = st.session_state.pop("goals.flash", None)
    if flash:
        st.success(flash)
    phases = _phase_frame(con)
    current = plan_core.current_phase(con, today())
    chosen = _goal_filter(phases, current["phase_id"] if current else None) if len(phases) else ALL_GOALS
    ids, total = store.listed_goal_ids(con, None if chosen == ALL_GOALS else int(chosen))
    shown = gm.load_goals(con, ids)
    default = str(current["phase_id"]) if current and len(phases) else ALL_GOALS
    editor = editor_key(GOAL_EDITOR) if chosen == default else f"{editor_key(GOAL_EDITOR)}.{chosen}"
    scopes = _scope_options(con)
    _plan_form(con, phases, total, shown, editor, scopes)
    st.divider()
    _split_section(con, shown, total > 0, scopes)
    st.divider()
    _suggest_section(con, scopes)
