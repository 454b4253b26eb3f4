"""Upload view: drop the week's exports, pick accounts, map unknown layouts, see results, undo,
download the templates of the team's own figures, start an empty workspace."""
import streamlit as st

from store import demo, importer, mappings, templates
from store.relations import RELATIONS
from ui import access, db, uploads
from ui.labels import platform_name, t


def render() -> None:
    """The Upload view."""
    st.title(t("nav.upload"))
    st.caption(t("upload.intro"))
    con = db.cursor()
    editor = access.require_editor()

    files = st.file_uploader(t("upload.files"), accept_multiple_files=True, max_upload_size=50, disabled=not editor,
                             type=["csv", "tsv", "txt", "xlsx", "xls"], key=f"upload.files.{st.session_state.get('upload.round', 0)}")
    detected = [uploads.detect(con, f) for f in files or []]
    known = [d for d in detected if d["status"] == "known"]
    unknown = [d for d in detected if d["status"] == "unknown"]

    if detected:
        st.subheader(t("upload.detected"))
        choices = uploads.account_choices(con, known)
        table = uploads.detection_table(detected, t)
        edited = st.data_editor(
            table, hide_index=True, width="stretch", key=f"upload.accounts.{st.session_state.get('upload.round', 0)}",
            disabled=[c for c in table.columns if c != t("upload.col_account")],
            column_config={t("upload.col_account"): st.column_config.SelectboxColumn(
                t("upload.col_account"), options=choices, help=t("upload.account_help"))})
        importable = [d for d in detected if d["status"] != "unknown"]
        if importable and editor and st.button(t("upload.import", n=len(importable)), type="primary", key="upload.go"):
            accounts = dict(zip(table[t("upload.col_file")], edited[t("upload.col_account")]))
            bar = st.progress(0.0)
            results = []
            for i, d in enumerate(importable):
                bar.progress(i / len(importable), text=t("upload.progress", file=d["file"], i=i + 1, n=len(importable)))
                results.append(importer.import_file(con, d["path"], d["file"], accounts.get(d["file"]) or None, origin="upload"))
            bar.progress(1.0, text=t("upload.summary", **uploads.tally(results)))
            st.session_state["upload.results"] = [r.as_json() for r in results]
            st.session_state["upload.round"] = st.session_state.get("upload.round", 0) + 1
            st.rerun()

    if st.session_state.get("upload.results"):
        results = st.session_state["upload.results"]
        st.subheader(t("upload.results"))
        st.caption(t("upload.summary", **uploads.tally(results)))
        st.dataframe(uploads.results_table(results, t), hide_index=True, width="stretch")
        for message in uploads.rejections(results):
            st.error(message, icon=":material/block:")

    for d in unknown:
        with st.expander(t("upload.mapping", file=d["file"]), expanded=True):
            st.caption(t("upload.mapping_help"))
            sheet = d["sheets"][0] if d["sheets"] else {"headers": [], "header_row": 1, "name": ""}
            st.caption(t("upload.mapping_header_row", row=sheet["header_row"], sheet=sheet["name"]))
            key = f"upload.map.{d['file']}"
            with st.form(key):
                c1, c2, c3 = st.columns(3)
                platform = c1.selectbox(t("upload.mapping_platform"), uploads.PLATFORMS, key=f"{key}.platform",
                                        format_func=platform_name)
                target = c2.selectbox(t("upload.mapping_target"), list(RELATIONS), key=f"{key}.target",
                                      format_func=lambda r: t(f"upload.target.{r}"))
                report = c3.text_input(t("upload.mapping_report"), value="custom", key=f"{key}.report")
                headers = [h for h in sheet["headers"] if h]
                ignore = t("upload.mapping_ignore")
                picks, used = {}, set()
                cols = st.columns(3)
                for i, field in enumerate(mappings.mappable_fields(target)):
                    guess = uploads.guess_header(field, [h for h in headers if h not in used])
                    used.add(guess)
                    picks[field] = cols[i % 3].selectbox(field, [ignore] + headers, key=f"{key}.{target}.{field}",
                                                         index=(headers.index(guess) + 1) if guess else 0)
                if st.form_submit_button(t("upload.mapping_save"), type="primary", disabled=not editor) and editor:
                    chosen = {f: h for f, h in picks.items() if h != ignore}
                    try:
                        mapping_id = mappings.save_mapping(con, platform, report, target, chosen)
                    except importer.Rejected as e:
                        st.error(str(e))
                    else:
                        st.success(t("upload.mapping_saved", id=mapping_id))
                        result = importer.import_file(con, d["path"], d["file"], None, origin="upload")
                        st.session_state["upload.results"] = [result.as_json()]
                        st.session_state["upload.round"] = st.session_state.get("upload.round", 0) + 1
                        st.rerun()

    st.subheader(t("upload.history"))
    history = importer.import_history(con)
    if history.empty:
        st.info(t("upload.no_history"))
    else:
        st.dataframe(uploads.history_table(history, t), hide_index=True, width="stretch")
        active = history[history["status"] == "active"]
        if not active.empty:
            c1, c2 = st.columns([3, 1])
            labels = uploads.import_labels(active)
            pick = c1.selectbox(t("upload.undo_pick"), list(labels), key="upload.undo_id", format_func=labels.get)
            if c2.button(t("upload.undo"), key="upload.undo", disabled=not editor) and editor:
                outcome = importer.undo_import(con, int(pick))
                st.session_state["upload.notice"] = t("upload.undone", id=outcome["import_id"], restored=outcome["restored"])
                st.rerun()
    if st.session_state.get("upload.notice"):
        st.success(st.session_state.pop("upload.notice"))

    saved = mappings.list_mappings(con)
    if not saved.empty:
        with st.expander(t("upload.mappings")):
            st.dataframe(saved, hide_index=True, width="stretch")

    st.subheader(t("upload.templates"))
    st.caption(t("upload.templates_help"))
    for col, (report, (file_name, data)) in zip(st.columns(3), templates.templates().items()):
        col.download_button(t(f"upload.template.{report}"), data, file_name=file_name, mime="text/csv",
                            key=f"upload.template.{report}")

    with st.expander(t("upload.workspace")):
        sure = st.checkbox(t("upload.empty_confirm"), key="upload.empty_confirm")
        if st.button(t("upload.empty"), disabled=not sure or not editor, key="upload.empty") and editor:
            demo.start_empty(con)
            st.session_state.pop("upload.results", None)
            st.session_state["upload.notice"] = t("upload.emptied")
            st.rerun()
