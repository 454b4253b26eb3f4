"""Plan view section: team — roles with job descriptions, the hiring timeline against the phases,
people (role, start date, accounts, channels, bonus base), KPI sets with their weights, and the
bonus rule. Every table is an editor in a form; Save writes in one transaction."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import access

from metrics import catalog, plan_core, team
from store import plan_team
from ui import charts, paging
from ui import format as fmt
from ui import period
from ui.appraisal_view import metric_label
from ui.labels import language, platform_name, t

EDITOR_VERSION = "team.editor_version"
SCOPES = ["person", "team"]
PERIODS = ["month", "week", "day"]
DIRECTIONS = ["higher", "lower"]
MISSING = ["zero", "excluded"]


def _suffix() -> int:
    return st.session_state.setdefault(EDITOR_VERSION, 0)


def _saved(message: str) -> None:
    """Remember the message, give every editor a new key (Streamlit #7749) and rerun."""
    st.session_state["team.flash"] = message
    st.session_state[EDITOR_VERSION] = _suffix() + 1
    st.rerun()


def _refused(refused: plan_team.TeamRefused) -> None:
    st.error(t("team.refused") + "\n\n" + "\n".join(f"- {m}" for m in refused.messages(language())),
             icon=":material/error:")


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if _na(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _na(v) -> bool:
    if isinstance(v, (list, tuple)):
        return False
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------ roles
def _roles_section(con, phase_codes: list[str], roles: pd.DataFrame) -> None:
    st.subheader(t("team.roles_header"))
    st.caption(t("team.roles_help"))
    frame = roles[["role_id", "code", "name", "needed_from_phase", "headcount", "filled",
                             "responsibilities", "requirements"]]
    with st.form(f"team.roles_form.{_suffix()}"):
        edited = st.data_editor(
            frame, key=f"team.roles_editor.{_suffix()}", num_rows="dynamic", hide_index=True, width="stretch",
            column_order=["name", "code", "needed_from_phase", "headcount", "filled", "responsibilities",
                          "requirements"],
            column_config={
                "name": st.column_config.TextColumn(t("team.col.role"), required=True),
                "code": st.column_config.TextColumn(t("team.col.code"), help=t("team.col.code_help")),
                "needed_from_phase": st.column_config.SelectboxColumn(t("team.col.needed_from"), options=phase_codes,
                                                                      help=t("team.col.needed_from_help")),
                "headcount": st.column_config.NumberColumn(t("team.col.headcount"), min_value=0, step=1,
                                                           format="%d", default=1),
                "filled": st.column_config.NumberColumn(t("team.col.filled"), disabled=True, format="%d"),
                "responsibilities": st.column_config.TextColumn(t("team.col.responsibilities"), width="large"),
                "requirements": st.column_config.TextColumn(t("team.col.requirements"), width="large"),
            })
        save = st.form_submit_button(t("team.save_roles"), type="primary", disabled=not access.can_edit())
    if save:
        try:
            plan_team.save_roles(con, _records(edited))
        except plan_team.TeamRefused as refused:
            _refused(refused)
        else:
            _saved(t("team.saved_roles", count=len(edited)))
    if len(roles):
        with st.expander(t("team.descriptions_header")):
            for r in roles.itertuples():
                st.markdown(f"**{r.name}** · {t('team.headcount_of', filled=int(r.filled), headcount=int(r.headcount))}")
                st.markdown(f"*{t('team.col.responsibilities')}:* {r.responsibilities or '–'}")
                st.markdown(f"*{t('team.col.requirements')}:* {r.requirements or '–'}")


# ------------------------------------------------------------------ hiring timeline
def _timeline_chart(con, timeline: pd.DataFrame, everyone: list) -> dict | None:
    """Phases as bands, each role's need date (diamond) and each active person's start (dot)."""
    phases = pd.DataFrame(plan_core.phase_rows(con), columns=["code", "phase", "start", "end"])
    if phases.empty or timeline.empty:
        return None
    phases["start"] = pd.to_datetime(phases["start"])
    phases["end"] = pd.to_datetime(phases["end"]) + pd.Timedelta(days=1)
    role_order = list(timeline["role"])
    band = charts.chart({"type": "rect", "opacity": 0.18}, {
        "x": charts.field("start:T", t("team.axis.date")), "x2": {"field": "end"},
        "color": charts.field("phase:N", t("team.col.phase"), sort=list(phases["phase"])),
        "tooltip": [charts.field("phase:N", t("team.col.phase")), charts.field("start:T", t("team.axis.start")),
                    charts.field("end:T", t("team.axis.end"))]}, dataset="phases")
    need = timeline.dropna(subset=["needed_by"])[["role", "needed_by"]].copy()
    need["needed_by"] = pd.to_datetime(need["needed_by"])
    need_marks = charts.chart({"type": "point", "shape": "diamond", "size": 160, "filled": True, "color": "#444"}, {
        "x": charts.field("needed_by:T"), "y": charts.field("role:N", t("team.col.role"), sort=role_order,
                                                              axis={"labelLimit": 260}),
        "tooltip": [charts.field("role:N", t("team.col.role")),
                    charts.field("needed_by:T", t("team.legend.needed_by"))]}, dataset="needs")
    starts = pd.DataFrame([{"role": p.role, "person": p.name, "start": pd.Timestamp(p.start_date)}
                           for p in everyone if p.active and p.role and p.start_date],
                          columns=["role", "person", "start"])
    layers, datasets = [band, need_marks], {"phases": phases, "needs": need}
    if not starts.empty:
        layers.append(charts.chart({"type": "circle", "size": 110, "color": "#1f77b4"}, {
            "x": charts.field("start:T"), "y": charts.field("role:N", sort=role_order),
            "tooltip": [charts.field("person:N", t("team.col.person")),
                        charts.field("start:T", t("team.col.start_date"))]}, dataset="starts"))
        datasets["starts"] = starts
    return charts.layered(layers, datasets, title=t("team.timeline_title"), height=40 * len(timeline) + 60)


def _timeline_section(con, everyone: list) -> None:
    st.subheader(t("team.timeline_header"))
    timeline = team.hiring_timeline(con, period.today())
    if timeline.empty:
        st.info(t("team.no_roles"), icon=":material/info:")
        return
    chart = _timeline_chart(con, timeline, everyone)
    if chart is not None:
        charts.show(chart)
        st.caption(t("team.timeline_caption"))
    st.dataframe(pd.DataFrame({
        t("team.col.role"): timeline["role"],
        t("team.col.phase"): timeline["phase"].fillna(timeline["phase_code"]).fillna("–"),
        t("team.col.needed_by"): [fmt.date(d) for d in timeline["needed_by"]],
        t("team.col.headcount"): [f"{int(f)} / {int(h)}" for f, h in zip(timeline["filled"], timeline["headcount"])],
        t("team.col.people"): timeline["people"].fillna("–"),
        t("team.col.status"): [t(f"team.hiring.{s}") for s in timeline["status"]],
    }), hide_index=True, width="stretch", key="team.timeline_table")


# ------------------------------------------------------------------ people
PEOPLE_PAGE_SIZE = 50
PEOPLE_PAGE = "team.people_page"
ALL_ROLES, NO_ROLE = "all", "none"


def _people_filter(roles: pd.DataFrame, role_names: dict[str, str], everyone: list) -> tuple[str, list]:
    """The people the editor lists: everyone, one role's or those without a role."""
    options = [ALL_ROLES, *role_names, NO_ROLE]
    counts = {ALL_ROLES: len(everyone), NO_ROLE: sum(1 for p in everyone if p.role_id is None)}
    counts.update({k: sum(1 for p in everyone if p.role_id is not None and str(int(p.role_id)) == k)
                   for k in role_names})
    labels = {ALL_ROLES: t("team.filter_all"), NO_ROLE: t("team.filter_no_role"), **role_names}
    if st.session_state.get("team.people_filter") not in options:
        st.session_state["team.people_filter"] = ALL_ROLES
    chosen = st.selectbox(t("team.people_filter"), options, key="team.people_filter",
                          format_func=lambda k: f"{labels[k]} ({counts[k]})", on_change=paging.reset,
                          args=(PEOPLE_PAGE,))
    if chosen == ALL_ROLES:
        return chosen, everyone
    if chosen == NO_ROLE:
        return chosen, [p for p in everyone if p.role_id is None]
    return chosen, [p for p in everyone if p.role_id is not None and str(int(p.role_id)) == chosen]


def _people_section(con, roles: pd.DataFrame, everyone: list, accounts: list[str]) -> None:
    st.subheader(t("team.people_header"))
    st.caption(t("team.people_help"))
    role_names = {str(int(r.role_id)): r.name for r in roles.itertuples()}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    with c1:
        chosen, listed = _people_filter(roles, role_names, everyone)
    page = paging.pager(PEOPLE_PAGE, len(listed), PEOPLE_PAGE_SIZE, "team.people_page", container=c2)
    shown = listed[page.offset:page.offset + page.limit]
    if listed and len(shown) < len(everyone):
        st.caption(t("team.people_showing", first=page.first, last=page.last, total=len(listed),
                     everyone=len(everyone)))
    frame = team.people_frame(con, shown)
    frame["role_key"] = [None if _na(r) else str(int(r)) for r in frame["role_id"]]
    channels = team.all_channels(con)
    view = "" if (chosen, page.number) == (ALL_ROLES, 1) else f".{chosen}.{page.number}"
    with st.form(f"team.people_form.{_suffix()}"):
        edited = st.data_editor(
            frame, key=f"team.people_editor.{_suffix()}{view}", num_rows="dynamic", hide_index=True,
            width="stretch",
            column_order=["name", "role_key", "start_date", "active", "accounts", "channels", "bonus_base"],
            column_config={
                "name": st.column_config.TextColumn(t("team.col.person"), required=True),
                "role_key": st.column_config.SelectboxColumn(t("team.col.role"), options=list(role_names),
                                                             format_func=lambda k: role_names.get(k, k)),
                "start_date": st.column_config.DateColumn(t("team.col.start_date"), format="YYYY-MM-DD"),
                "active": st.column_config.CheckboxColumn(t("team.col.active"), default=True),
                "accounts": st.column_config.MultiselectColumn(t("team.col.accounts"), options=accounts,
                                                               accept_new_options=True,
                                                               help=t("team.col.accounts_help")),
                "channels": st.column_config.MultiselectColumn(t("team.col.channels"), options=channels,
                                                               accept_new_options=True),
                "bonus_base": st.column_config.NumberColumn(t("team.col.bonus_base"), min_value=0.0, step=100.0,
                                                            format="¥%.2f", help=t("team.col.bonus_base_help")),
            })
        save = st.form_submit_button(t("team.save_people"), type="primary", disabled=not access.can_edit())
    if save:
        rows = _records(edited)
        for row in rows:
            row["role_id"] = None if row.get("role_key") is None else int(row["role_key"])
        try:
            plan_team.save_people(con, rows, shown={p.person_id for p in shown})
        except plan_team.TeamRefused as refused:
            _refused(refused)
        else:
            _saved(t("team.saved_people", count=len(rows)))


# ------------------------------------------------------------------ KPI sets
def _metric_options(current: list[str]) -> list[str]:
    manual = [team.MANUAL_PREFIX + k for k in team.MANUAL_INPUTS]
    return list(dict.fromkeys(list(catalog.METRICS) + manual + [c for c in current if c]))


NAMES_LISTED = 20


def _name_list(names: list[str]) -> str:
    """'A, B, C' — at most ``NAMES_LISTED`` names, then how many more."""
    if len(names) <= NAMES_LISTED:
        return ", ".join(names) or "–"
    return ", ".join(names[:NAMES_LISTED]) + " " + t("team.and_more", count=len(names) - NAMES_LISTED)


def _kpi_section(con, roles: pd.DataFrame, people: list, platforms: list[str]) -> None:
    st.subheader(t("team.kpi_header"))
    st.caption(t("team.kpi_help"))
    owners = [("role", int(r.role_id)) for r in roles.itertuples()] + [("person", p.person_id) for p in people]
    if not owners:
        st.info(t("team.no_roles"), icon=":material/info:")
        return
    names = {("role", int(r.role_id)): t("team.owner_role", name=r.name) for r in roles.itertuples()}
    person_label = t("team.owner_person", name="{name}")       # looked up once for a thousand people
    names.update({("person", p.person_id): person_label.format(name=p.name) for p in people})
    if st.session_state.get("team.kpi_owner") not in owners:
        st.session_state["team.kpi_owner"] = owners[0]
    owner = st.selectbox(t("team.kpi_owner"), owners, key="team.kpi_owner", format_func=names.get)
    kind, owner_id = owner
    if kind == "role":
        frame = team.kpi_set(con, role_id=owner_id)
        own = team.people_with_own_kpis(con)
        users = [p.name for p in people if p.role_id == owner_id and p.person_id not in own]
        st.caption(t("team.kpi_role_users", people=_name_list(users)))
    else:
        frame = team.kpi_set(con, person_id=owner_id)
        person = next(p for p in people if p.person_id == owner_id)
        if frame.empty:
            st.caption(t("team.kpi_person_uses_role", role=person.role or "–"))
            if person.role_id is not None:
                frame = team.kpi_set(con, role_id=person.role_id).assign(kpi_id=None)
        else:
            st.caption(t("team.kpi_person_own"))
    total = float(frame["weight"].sum()) if len(frame) else 0.0
    goals = team.goal_choices(con)
    with st.form(f"team.kpi_form.{kind}.{owner_id}.{_suffix()}"):
        edited = st.data_editor(
            frame.drop(columns=["position"]), key=f"team.kpi_editor.{kind}.{owner_id}.{_suffix()}",
            num_rows="dynamic", hide_index=True, width="stretch",
            column_order=["name", "metric_id", "platform", "scope", "period", "target", "goal_id", "weight",
                          "direction", "cap", "floor_value", "min_achievement", "missing_rule"],
            column_config={
                "name": st.column_config.TextColumn(t("team.col.kpi")),
                "metric_id": st.column_config.SelectboxColumn(t("team.col.metric"), required=True,
                                                              options=_metric_options(list(frame["metric_id"])),
                                                              format_func=metric_label),
                "platform": st.column_config.SelectboxColumn(t("team.col.platform"), options=platforms,
                                                             format_func=platform_name,
                                                             help=t("team.col.platform_help")),
                "scope": st.column_config.SelectboxColumn(t("team.col.scope"), options=SCOPES, default="person",
                                                          format_func=lambda s: t(f"team.scope.{s}")),
                "period": st.column_config.SelectboxColumn(t("team.col.period"), options=PERIODS, default="month",
                                                           format_func=lambda s: t(f"team.period.{s}")),
                "target": st.column_config.NumberColumn(t("team.col.target"), min_value=0.0, format="%.4g",
                                                        required=True, help=t("team.col.target_help")),
                "goal_id": st.column_config.SelectboxColumn(t("team.col.goal"), options=list(goals),
                                                            format_func=lambda g: goals.get(g, str(g)),
                                                            help=t("team.col.goal_help")),
                "weight": st.column_config.NumberColumn(t("team.col.weight"), min_value=0.0, max_value=100.0,
                                                        format="%.1f %%", required=True),
                "direction": st.column_config.SelectboxColumn(t("team.col.direction"), options=DIRECTIONS,
                                                              format_func=lambda s: t(f"appraisal.rule.{s}")),
                "cap": st.column_config.NumberColumn(t("team.col.cap"), min_value=1.0, format="%.2f", default=1.2,
                                                     help=t("team.col.cap_help")),
                "floor_value": st.column_config.NumberColumn(t("team.col.floor"), format="%.4g",
                                                             help=t("team.col.floor_help")),
                "min_achievement": st.column_config.NumberColumn(t("team.col.min_achievement"), min_value=0.0,
                                                                 format="%.2f", help=t("team.col.min_achievement_help")),
                "missing_rule": st.column_config.SelectboxColumn(t("team.col.missing_rule"), options=MISSING,
                                                                 default="zero",
                                                                 format_func=lambda s: t(f"appraisal.rule.missing_{s}")),
            })
        st.caption(t("team.kpi_weight_total", total=fmt.number(total, 1)))
        save = st.form_submit_button(t("team.save_kpis"), type="primary", disabled=not access.can_edit())
    if save:
        try:
            plan_team.save_kpi_set(con, _records(edited), role_id=owner_id if kind == "role" else None,
                                   person_id=owner_id if kind == "person" else None)
        except plan_team.TeamRefused as refused:
            _refused(refused)
        else:
            _saved(t("team.saved_kpis", owner=names[owner]))
    if kind == "person" and len(team.kpi_set(con, person_id=owner_id)):
        if st.button(t("team.drop_own_set"), key=f"team.drop_own.{owner_id}", disabled=not access.can_edit()):
            plan_team.drop_person_set(con, owner_id)
            _saved(t("team.dropped_own_set"))
    with st.expander(t("team.metric_definitions")):
        used = [m for m in frame["metric_id"] if m in catalog.METRICS]
        for metric_id in dict.fromkeys(used):
            st.markdown(f"**{metric_label(metric_id)}** — {catalog.METRICS[metric_id].description}")
        st.markdown(t("team.manual_explained"))


# ------------------------------------------------------------------ bonus rule
def _bonus_section(con) -> None:
    st.subheader(t("team.bonus_header"))
    mode, base, bands = team.bonus_rule(con)
    frame = pd.DataFrame(bands, columns=["min_score", "multiplier"])
    with st.form(f"team.bonus_form.{_suffix()}"):
        chosen = st.radio(t("team.bonus_mode"), ["linear", "bands"], index=["linear", "bands"].index(mode),
                          format_func=lambda m: t(f"team.bonus_mode.{m}"), horizontal=True,
                          key=f"team.bonus_mode.{_suffix()}")
        default = st.number_input(t("team.bonus_default"), min_value=0.0, step=100.0, value=base,
                                  key=f"team.bonus_default.{_suffix()}", help=t("team.bonus_default_help"))
        edited = st.data_editor(frame, key=f"team.bands_editor.{_suffix()}", num_rows="dynamic", hide_index=True,
                                column_config={
                                    "min_score": st.column_config.NumberColumn(t("team.col.min_score"),
                                                                               min_value=0.0, format="%.1f"),
                                    "multiplier": st.column_config.NumberColumn(t("team.col.multiplier"),
                                                                                min_value=0.0, format="%.2f"),
                                })
        save = st.form_submit_button(t("team.save_bonus"), type="primary", disabled=not access.can_edit())
    st.caption(t("team.bonus_explained"))
    if save:
        try:
            plan_team.save_bonus_rule(con, chosen, default, [(r["min_score"], r["multiplier"])
                                                             for r in _records(edited)])
        except plan_team.TeamRefused as refused:
            _refused(refused)
        else:
            _saved(t("team.saved_bonus"))


def render(con) -> None:
    """The team tab of the Plan view."""
    st.caption(t("team.intro"))
    flash = st.session_state.pop("team.flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    phase_codes = list(dict.fromkeys([row[0] for row in plan_core.phase_rows(con)] + ["seed", "initial", "brand"]))
    roles = team.roles(con)
    everyone = team.people(con)
    accounts = team.all_accounts(con)
    _roles_section(con, phase_codes, roles)
    _timeline_section(con, everyone)
    _people_section(con, roles, everyone, [team.account_text(*a) for a in accounts])
    _kpi_section(con, roles, everyone, sorted({a[0] for a in accounts}))
    _bonus_section(con)
