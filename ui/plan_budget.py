"""Plan view tab: budget lines per phase and the channel list (edited together, saved in one
transaction), plus the budget-line template (download and import)."""
from __future__ import annotations

import streamlit as st

from ui import access

from metrics import budget
from store import plan_budget
from store import connection
from ui import format as fmt
from ui import db, period
from ui.labels import t

EDITOR_VERSION = "budget.plan_editor_version"


def _editor_suffix() -> int:
    return st.session_state.setdefault(EDITOR_VERSION, 0)


def _new_editors() -> None:
    """Give the editors new keys so they start from the store again (Streamlit #7749)."""
    st.session_state[EDITOR_VERSION] = _editor_suffix() + 1


def _channel_editor(frame):
    return st.data_editor(
        frame, key=f"budget.plan_channels.{_editor_suffix()}", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "channel": st.column_config.TextColumn(t("budget.plan.col.channel"), required=True,
                                                   help=t("budget.plan.col.channel_help")),
            "kind": st.column_config.SelectboxColumn(t("budget.plan.col.kind"), options=list(plan_budget.CHANNEL_KINDS),
                                                     format_func=lambda k: t(f"channels.kind.{k}")),
            "description": st.column_config.TextColumn(t("budget.plan.col.description")),
            "active": st.column_config.CheckboxColumn(t("budget.plan.col.active"), default=True),
        })


def _line_editor(con, phase_id: int, channel_names: list[str]):
    frame = plan_budget.lines_frame(con, phase_id)
    return st.data_editor(
        frame, key=f"budget.plan_lines.{phase_id}.{_editor_suffix()}", num_rows="dynamic", hide_index=True,
        width="stretch",
        column_config={
            "item": st.column_config.TextColumn(t("budget.col.item"), required=True,
                                                help=t("budget.plan.col.item_help")),
            "category": st.column_config.SelectboxColumn(t("budget.col.category"), required=True,
                                                         options=list(plan_budget.CATEGORIES),
                                                         format_func=lambda c: t(f"budget.cat.{c}")),
            "channel": st.column_config.SelectboxColumn(t("budget.col.channel"), options=channel_names,
                                                        help=t("budget.plan.col.line_channel_help")),
            "amount": st.column_config.NumberColumn(t("budget.col.amount"), min_value=0.0, step=100.0,
                                                    format="%.2f", required=True),
            "importance": st.column_config.SelectboxColumn(t("budget.col.importance"),
                                                           options=list(plan_budget.IMPORTANCE),
                                                           default="important",
                                                           format_func=lambda i: t(f"budget.imp.{i}")),
            "expected_followers": st.column_config.NumberColumn(t("budget.plan.col.expected"), min_value=0,
                                                                step=1, format="%d",
                                                                help=t("budget.plan.col.expected_help")),
            "note": st.column_config.TextColumn(t("budget.plan.col.note")),
        })


def _show_flash() -> None:
    flash = st.session_state.pop("budget.plan_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")


def render(con) -> None:
    """The budget-and-channels tab of the Plan view."""
    st.caption(t("budget.plan.intro"))
    _show_flash()
    phases = budget.phase_choices(con)
    phase_id = None
    if phases.empty:
        st.info(t("budget.plan.no_phases"), icon=":material/info:")
    else:
        ids = [int(x) for x in phases["phase_id"]]
        names = {int(r.phase_id): f"{r.name} ({fmt.date(r.start_date)} – {fmt.date(r.end_date)}, "
                                  f"{fmt.money(r.budget)})" for r in phases.itertuples()}
        if st.session_state.get("budget.plan_phase") not in ids:
            current = budget.phase_for_day(con, period.today())
            st.session_state["budget.plan_phase"] = current if current in ids else ids[0]
        phase_id = st.selectbox(t("budget.plan.phase"), ids, key="budget.plan_phase", format_func=names.get)

    with st.form(f"budget.plan_form.{_editor_suffix()}"):
        st.subheader(t("budget.plan.channels_header"))
        channels = plan_budget.channels_frame(con)
        channels_edit = _channel_editor(channels)
        lines_edit = None
        if phase_id is not None:
            st.subheader(t("budget.plan.lines_header"))
            channel_names = channels["channel"].tolist()
            lines_edit = _line_editor(con, phase_id, channel_names)
            allocation = budget.phase_allocation(con, phase_id)
            st.caption(t("budget.plan.totals", lines=fmt.money(allocation["lines_total"]),
                         budget=fmt.money(allocation["budget"]), gap=fmt.money(allocation["unallocated"])))
        saved = st.form_submit_button(t("budget.plan.save"), type="primary", disabled=not access.can_edit())
    if saved:
        try:
            counts = plan_budget.save_plan(con, phase_id, lines_edit, channels_edit)
        except plan_budget.PlanError as err:
            st.error(t("budget.plan.rejected") + "\n\n" + "\n".join(f"- {p}" for p in err.problems),
                     icon=":material/error:")
        else:
            st.session_state["budget.plan_flash"] = t("budget.plan.saved", channels=counts["channels"],
                                                      lines=counts["lines"])
            _new_editors()
            st.rerun()

    st.subheader(t("budget.plan.template_header"))
    st.caption(t("budget.plan.template_help"))
    # Built when the button is pressed (on a thread of its own, hence its own cursor), not at every run.
    path = db.db_path()
    d1, d2 = st.columns(2)
    d1.download_button(t("budget.plan.download_xlsx"), data=lambda: plan_budget.template_xlsx(connection.cursor(path)),
                       file_name="budget_lines.xlsx", key="budget.plan_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    d2.download_button(t("budget.plan.download_csv"), data=lambda: plan_budget.template_csv(connection.cursor(path)),
                       file_name="budget_lines.csv", mime="text/csv", key="budget.plan_csv")
    upload = st.file_uploader(t("budget.plan.upload"), type=["xlsx", "csv", "tsv", "txt"], disabled=not access.can_edit(),
                              key=f"budget.plan_upload.{_editor_suffix()}", max_upload_size=50)
    if upload is not None:
        result = plan_budget.import_lines(con, upload.getvalue(), upload.name)
        if result.ok:
            st.session_state["budget.plan_flash"] = t("budget.plan.imported", file=upload.name,
                                                      inserted=result.inserted, updated=result.updated)
            _new_editors()
            st.rerun()
        else:
            st.error("\n".join(f"- {e}" for e in result.errors), icon=":material/error:")
