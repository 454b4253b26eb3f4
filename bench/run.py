"""The benchmark: imports and views against the bare-DuckDB limit and against naive pandas.

    python bench/run.py                 # team and group scale, 5 runs: about 5 minutes
    python bench/run.py --smoke         # team scale, one run, small files: ~20 s
    python bench/run.py --scales team,agency,group --runs 7
    python bench/run.py --views none    # the imports only (no workspace needed): imports.json / .md

Prints one table and writes it as ``bench/results/latest.json`` and ``latest.md`` (``smoke.*``
in smoke mode). Every time is the median over the runs.

* **import** — each export file (``bench/generate.py`` writes them in real layouts) through
  the whole pipeline (read, recognise, parse, history and current rows, COMMIT) into a fresh
  store, against DuckDB's own ``read_csv`` of the same file into a table of a fresh store file
  (committed, as the import is), or calamine's raw read of the XLSX into Python rows.
* **view** — each page of ``ui/navigation.py`` opened as the first run of a new AppTest
  session through ``app.py`` with the data cache cleared (a browser opening the view's URL),
  against the limit: every SQL statement the view ran, re-run bare on the same DuckDB
  instance (each with the faster of a Python-rows or an Arrow fetch), plus the app shell
  rendering an empty page (``bench/empty_app.py``). The main views also run the naive pandas
  version of their figures (``bench/naive.py``: load whole tables, then group). A view
  slower than ``SLOW_SECONDS`` is timed once. Each run opens the view at every scale in
  turn, each followed by its bare replay, so that a slow spell of the machine falls on both
  sides of a ratio.
* **growth** — a view's time at the largest scale ÷ its time at team scale.
* **memory** — peak RSS of a fresh process rendering every view once at the largest scale
  (in smoke mode: the benchmark process's own peak).

Targets (issue 7): import ≤ 2× the bare read; view ≤ 1.5× the limit and ≤ 1 s at group
scale; group ≤ 2× team; peak RSS ≤ 1.5 GB. ``verdict`` lists the targets a row misses.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

RESULTS = ROOT / "bench" / "results"
APP = str(ROOT / "app.py")
EMPTY_APP = str(ROOT / "bench" / "empty_app.py")
MAIN_VIEWS = ("goals", "budget", "channels", "content")
TIMEOUT = 900
SLOW_SECONDS = 20        # a view slower than this is timed once
IMPORT_LIMIT, VIEW_LIMIT, VIEW_SECONDS, GROWTH_LIMIT, RSS_LIMIT_MB = 2.0, 1.5, 1.0, 2.0, 1536


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _quiet_logs() -> None:
    import logging
    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).setLevel(logging.ERROR)


# ------------------------------------------------------------------ imports
@dataclass
class ImportTiming:
    file: str
    layout: str
    rows: int
    pipeline_ms: float | None
    bare_ms: float | None
    bare_what: str
    status: str
    error: str | None = None


def _import_once(f: generate.ExportFile):
    """(seconds, result) of one import of ``f`` into a fresh store."""
    from store import connection, importer
    folder = Path(tempfile.mkdtemp(prefix="bench_import_"))
    path = folder / "board.duckdb"
    try:
        con = connection.cursor(path)
        con.execute("INSERT INTO settings VALUES ('workspace_mode', 'own')")
        started = time.perf_counter()
        result = importer.import_file(con, f.path, f.path.name, f.account, origin="bench", today=generate.TODAY)
        return time.perf_counter() - started, result
    finally:
        connection.close(path)
        shutil.rmtree(folder, ignore_errors=True)


def _bare_read_once(f: generate.ExportFile) -> float:
    """Seconds of one bare read of ``f``: DuckDB's own read_csv into a table of a fresh store
    file opened like the product's (same settings), committed to disk as the import is; or
    calamine's raw read of every sheet of a workbook."""
    from store import connection
    if f.kind != "csv":
        from python_calamine import CalamineWorkbook
        started = time.perf_counter()
        book = CalamineWorkbook.from_path(str(f.path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="bench_bare_"))
    path = folder / "board.duckdb"
    try:
        raw = connection.cursor(path)
        started = time.perf_counter()
        raw.execute("BEGIN TRANSACTION")
        raw.execute("CREATE TABLE bare_read AS SELECT * FROM read_csv(?)", [str(f.path)])
        raw.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close(path)
        shutil.rmtree(folder, ignore_errors=True)


def bench_imports(files: list[generate.ExportFile], runs: int, log) -> list[ImportTiming]:
    """Each file through ``store.importer.import_file`` into a fresh store vs its bare read,
    the two taken in turns (pipeline, bare, pipeline, …) so that both meet the same load."""
    out = []
    for f in files:
        pipeline, bare, status, error = [], [], "imported", None
        for _ in range(runs):
            elapsed, result = _import_once(f)
            if result.status != "imported":
                status, error = result.status, result.error
            pipeline.append(elapsed)
            bare.append(_bare_read_once(f))
        timing = ImportTiming(f.path.name, f.layout, f.rows, 1000 * _median(pipeline), 1000 * _median(bare),
                              "DuckDB read_csv into a stored table" if f.kind == "csv" else "calamine to_python",
                              status, error)
        log(f"import {timing.file}: pipeline {timing.pipeline_ms:,.0f} ms, bare {timing.bare_ms:,.0f} ms"
            + (f" — {status}: {error}" if error else ""))
        out.append(timing)
    return out


# ------------------------------------------------------------------ views
class _Recorder:
    """Wraps the cursors the app gets from ``ui.db.cursor`` and keeps every statement run."""

    def __init__(self):
        self.statements: list[tuple[str, object]] = []
        self.on = False

    def wrap(self, cur):
        recorder = self

        class Recording:
            def execute(self, sql, parameters=None):
                if recorder.on:
                    recorder.statements.append((sql, parameters))
                return cur.execute(sql) if parameters is None else cur.execute(sql, parameters)

            def cursor(self):          # a second cursor of the view (metrics.alongside) is recorded too
                return recorder.wrap(cur.cursor())

            def executemany(self, sql, parameters=None):
                if recorder.on:
                    recorder.statements.extend((sql, p) for p in (parameters or []))
                return cur.executemany(sql, parameters)

            def __getattr__(self, name):
                return getattr(cur, name)

        return Recording()


@dataclass
class ViewTiming:
    view: str
    path: str
    scale: str
    runs_ms: list[float] = field(default_factory=list)
    bare_runs_ms: list[float] = field(default_factory=list)
    queries: int = 0
    naive_runs_ms: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def ms(self) -> float | None:
        return _median(self.runs_ms)

    @property
    def bare_ms(self) -> float | None:
        return _median(self.bare_runs_ms)

    @property
    def naive_ms(self) -> float | None:
        return _median(self.naive_runs_ms)


_PAGE_REGISTRY: dict[str, dict] = {}


def _registered_pages(app: str) -> dict:
    """The pages ``app`` registers with ``st.navigation`` (learnt once from a first run)."""
    from streamlit.testing.v1 import AppTest
    if app not in _PAGE_REGISTRY:
        at = AppTest.from_file(app, default_timeout=TIMEOUT)
        at.query_params["today"] = generate.TODAY.isoformat()
        at.run()
        _PAGE_REGISTRY[app] = {"pages": dict(at._registered_pages), "components": at._bidi_component_manager}
    return _PAGE_REGISTRY[app]


def _open_view(app: str, page: str, recorder: _Recorder) -> tuple[float, str | None]:
    """Open ``page`` as the first run of a new session with every data cache cleared, as a
    browser opening the view's URL does; return (seconds, error)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    known = _registered_pages(app)
    at = AppTest.from_file(app, default_timeout=TIMEOUT)
    at.query_params["today"] = generate.TODAY.isoformat()
    at._registered_pages = dict(known["pages"])   # so that the first run lands on ``page`` (AppTest.switch_page)
    at._bidi_component_manager = known["components"]  # found once per process, as a server does at start
    at.switch_page(page)
    st.cache_data.clear()
    recorder.statements.clear()
    recorder.on = True
    try:
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
    finally:
        recorder.on = False
    error = None
    if at.exception:
        error = str(at.exception[0].value).strip().splitlines()[-1][:300]
    return elapsed, error


def _run_bare(path: Path, statements: list[tuple[str, object]]) -> float:
    """Re-run the recorded statements on a plain cursor; each query counts with the faster of
    two fetches (Python rows, best for small results; Arrow, best for big ones); statements
    that change something (a session's temp tables) run once."""
    import warnings

    from store import connection
    cur = connection.cursor(path)
    total = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "Arrow output on a DB-API result makes an extra copy"
        for sql, params in statements:
            best = None
            reads = sql.lstrip().upper().startswith(("SELECT", "WITH", "FROM", "("))
            for fetch in (cur.fetchall, cur.to_arrow_table) if reads else (cur.fetchall,):
                started = time.perf_counter()
                cur.execute(sql) if params is None else cur.execute(sql, params)
                fetch()
                elapsed = time.perf_counter() - started
                best = elapsed if best is None else min(best, elapsed)
            total += best
    return total


def _use_store(path: Path) -> None:
    """Point the app (and the stores it opens) at ``path``."""
    from store import connection
    connection.DEFAULT_DB = path
    os.environ["OPSBOARD_DB"] = str(path)


def bench_views(stores: dict[str, Path], runs: int, naive_runs: int, views: list[str] | None,
                log) -> dict[str, list[ViewTiming]]:
    """Time the empty page and every view (or those named) on each scale's store.

    The measurements that are compared are taken in turns: each run opens the view at every
    scale, each followed by the replay of that scale's recorded queries, so that a slow spell
    of a noisy machine falls on both sides of every ratio instead of on one of them."""
    import streamlit as st

    import ui.db
    from bench import naive
    from metrics.periods import week_of
    from store import connection, inbox
    from ui.navigation import PAGES

    st.cache_resource.clear()
    st.cache_data.clear()
    recorder = _Recorder()
    real_cursor = ui.db.cursor
    ui.db.cursor = lambda: recorder.wrap(real_cursor())
    targets = [("empty", "empty_page.py", EMPTY_APP)] + [
        (p.url_path, p.path, APP) for p in PAGES if views is None or p.url_path in views]
    out: dict[str, list[ViewTiming]] = {scale: [] for scale in stores}
    try:
        for name, page, app in targets:
            timings = {scale: ViewTiming(name, page, scale) for scale in stores}
            statements: dict[str, list] = {}
            done: set[str] = set()        # scales where one run said enough (too slow, or failed)
            for i in range(runs):
                for scale, path in stores.items():
                    timing = timings[scale]
                    if scale in done:
                        continue
                    _use_store(path)
                    try:
                        elapsed, error = _open_view(app, page, recorder)
                    except Exception as e:  # the page could not even be opened
                        elapsed, error = None, f"{type(e).__name__}: {e}"[:300]
                    if error:
                        timing.error = error
                    if i == 0:
                        statements[scale] = list(recorder.statements)
                        timing.queries = len(statements[scale])
                    if elapsed is None or elapsed > SLOW_SECONDS:
                        done.add(scale)
                    if elapsed is not None:
                        timing.runs_ms.append(1000 * elapsed)
                        timing.bare_runs_ms.append(1000 * _run_bare(path, statements[scale]))
            for scale, path in stores.items():
                timing = timings[scale]
                if name in MAIN_VIEWS:
                    period = week_of(generate.TODAY - dt.timedelta(days=7))
                    con = connection.cursor(path)
                    for _ in range(naive_runs):
                        started = time.perf_counter()
                        naive.NAIVE[name](con, generate.TODAY, period.start, period.end)
                        timing.naive_runs_ms.append(1000 * (time.perf_counter() - started))
                        if timing.naive_runs_ms[-1] > 1000 * SLOW_SECONDS:
                            break
                log(f"{scale} view {name}: {timing.ms or 0:,.0f} ms, {timing.queries} queries bare "
                    f"{timing.bare_ms or 0:,.0f} ms" + (f", naive {timing.naive_ms:,.0f} ms" if timing.naive_ms else "")
                    + (f" — error: {timing.error}" if timing.error else ""))
                out[scale].append(timing)
    finally:
        ui.db.cursor = real_cursor
        st.cache_resource.clear()
        st.cache_data.clear()
        for path in stores.values():
            inbox.stop_watcher(path)
            connection.close(path)
    return out


def render_all(path: Path) -> dict:
    """In this process: open every view once on ``path``; return peak RSS and errors."""
    import streamlit as st

    from store import connection, inbox
    from ui.navigation import PAGES
    _quiet_logs()
    _use_store(path)
    recorder = _Recorder()
    errors, times, peaks = {}, {}, {}
    for p in PAGES:
        try:
            elapsed, error = _open_view(APP, p.path, recorder)
            times[p.url_path] = round(1000 * elapsed)
        except Exception as e:
            error = f"{type(e).__name__}: {e}"[:300]
        if error:
            errors[p.url_path] = error
        peaks[p.url_path] = round(_peak_rss_kb() / 1024)
    st.cache_resource.clear()
    inbox.stop_watcher(path)
    connection.close(path)
    rss_kb = _peak_rss_kb()
    return {"peak_rss_mb": round(rss_kb / 1024, 1), "errors": errors, "times_ms": times,
            "peak_after_view_mb": peaks}


def _peak_rss_kb() -> int:
    """This process's peak resident memory in KiB: ``VmHWM`` of /proc/self/status, which an
    exec'd process starts afresh (``getrusage``'s ``ru_maxrss`` keeps the peak of the parent
    that forked it on Linux — here the benchmark itself, after the naive pandas runs)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_rss(path: Path, log) -> dict:
    """Peak RSS of a new process that renders every view once on ``path``."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--render-all", str(path)],
                          capture_output=True, text=True, timeout=3 * TIMEOUT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        result = {"peak_rss_mb": None, "errors": {"process": (proc.stderr.strip().splitlines() or ["failed"])[-1]}}
    else:
        result = json.loads(lines[-1])
    log(f"peak RSS rendering every view: {result['peak_rss_mb']} MB in {time.perf_counter() - started:.0f} s")
    return result


# ------------------------------------------------------------------ the table
def _fmt(x, digits=0, suffix="") -> str:
    if x is None:
        return "–"
    return f"{x:,.{digits}f}{suffix}"


def build_rows(imports: list[ImportTiming], views: dict[str, list[ViewTiming]], rss: dict | None,
               main_scale: str) -> list[dict]:
    """The result table as rows of plain values (JSON) with the targets each row misses."""
    rows = []
    for imp in imports:
        ratio = imp.pipeline_ms / imp.bare_ms if imp.pipeline_ms and imp.bare_ms else None
        misses = []
        if imp.status != "imported":
            misses.append(f"{imp.status}: {imp.error}")
        if ratio is not None and ratio > IMPORT_LIMIT:
            misses.append(f"> {IMPORT_LIMIT:g}× bare read")
        rows.append({"kind": "import", "name": f"{imp.file} ({imp.rows:,} rows)", "scale": "",
                     "ours_ms": imp.pipeline_ms, "limit_ms": imp.bare_ms, "limit": imp.bare_what, "ratio": ratio,
                     "naive_ms": None, "naive_ratio": None, "team_ms": None, "growth": None, "queries": None,
                     "verdict": "; ".join(misses) or "ok"})
    main = {v.view: v for v in views.get(main_scale, [])}
    team = {v.view: v for v in views.get("team", [])}
    empty = main.get("empty")
    for name, v in main.items():
        if name == "empty":
            continue
        limit = (v.bare_ms or 0) + (empty.ms or 0) if empty and empty.ms is not None else None
        ratio = v.ms / limit if v.ms and limit else None
        growth = v.ms / team[name].ms if main_scale != "team" and name in team and team[name].ms and v.ms else None
        misses = []
        if v.error:
            misses.append(f"error: {v.error}")
        if ratio is not None and ratio > VIEW_LIMIT:
            misses.append(f"> {VIEW_LIMIT:g}× limit")
        if main_scale == "group" and v.ms is not None and v.ms > VIEW_SECONDS * 1000:
            misses.append(f"> {VIEW_SECONDS:g} s")
        if growth is not None and growth > GROWTH_LIMIT:
            misses.append(f"> {GROWTH_LIMIT:g}× team")
        rows.append({"kind": "view", "name": name, "scale": main_scale, "ours_ms": v.ms, "limit_ms": limit,
                     "limit": "bare queries + empty page", "ratio": ratio, "naive_ms": v.naive_ms,
                     "naive_ratio": (v.naive_ms / v.ms) if v.naive_ms and v.ms else None,
                     "team_ms": team[name].ms if name in team else None, "growth": growth, "queries": v.queries,
                     "bare_ms": v.bare_ms, "verdict": "; ".join(misses) or "ok"})
    if empty:
        rows.append({"kind": "view", "name": "(empty page)", "scale": main_scale, "ours_ms": empty.ms,
                     "limit_ms": None, "limit": "", "ratio": None, "naive_ms": None, "naive_ratio": None,
                     "team_ms": team["empty"].ms if "empty" in team else None, "growth": None,
                     "queries": empty.queries, "verdict": "baseline"})
    if rss is not None:
        mb = rss.get("peak_rss_mb")
        misses = [f"{k}: {e}" for k, e in (rss.get("errors") or {}).items()]
        if mb is not None and mb > RSS_LIMIT_MB:
            misses.append(f"> {RSS_LIMIT_MB / 1024:g} GB")
        rows.append({"kind": "memory", "name": "peak RSS rendering every view", "scale": main_scale,
                     "ours_ms": None, "rss_mb": mb, "limit_ms": None, "limit": "", "ratio": None, "naive_ms": None,
                     "naive_ratio": None, "team_ms": None, "growth": None, "queries": None,
                     "verdict": "; ".join(misses) or "ok"})
    return rows


HEADER = ["kind", "name", "scale", "ours ms", "limit ms", "× limit", "naive ms", "naive ÷ ours", "team ms",
          "÷ team", "queries", "verdict"]


def _cells(row: dict) -> list[str]:
    ours = _fmt(row.get("rss_mb"), 0, " MB") if row["kind"] == "memory" else _fmt(row["ours_ms"])
    return [row["kind"], row["name"], row["scale"], ours, _fmt(row["limit_ms"]), _fmt(row["ratio"], 2, "×"),
            _fmt(row["naive_ms"]), _fmt(row["naive_ratio"], 1, "×"), _fmt(row["team_ms"]),
            _fmt(row["growth"], 2, "×"), _fmt(row["queries"]), row["verdict"]]


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in _cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def text_table(rows: list[dict]) -> str:
    cells = [HEADER] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER) - 1)]
    out = []
    for c in cells:
        out.append("  ".join(x.ljust(w) if i < 3 else x.rjust(w) for i, (x, w) in enumerate(zip(c, widths)))
                   + "  " + c[-1])
    return "\n".join(out)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import and view benchmarks (see the module docstring).")
    parser.add_argument("--smoke", action="store_true", help="team scale, one run, small files")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default 5, smoke 1)")
    parser.add_argument("--scales", default=None, help="comma-separated scales (default team,group; smoke team)")
    parser.add_argument("--views", default=None,
                        help="comma-separated views to time (default all; 'none' or '' times no view, "
                             "so only the imports run and no workspace is needed)")
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="write the workspaces again")
    parser.add_argument("--out", type=Path, default=None, help="folder of the workspaces and export files")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--render-all", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render_all:
        print(json.dumps(render_all(args.render_all)))
        return 0
    _quiet_logs()
    runs = args.runs or (1 if args.smoke else 5)
    scales = (args.scales or ("team" if args.smoke else "team,group")).split(",")
    out = args.out or (generate.OUT / "smoke" if args.smoke else generate.OUT)
    views = None if args.views is None else [v for v in args.views.split(",") if v.strip() and v != "none"]
    if views == []:
        scales = []          # imports only: no view timed, no workspace needed
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    for scale in scales:
        path = generate.store_path(scale, out)
        if args.regenerate or not path.exists():
            log(f"generating the {scale} workspace")
            generate.generate(scale, out, quiet=True)
    files = generate.write_exports(out, smoke=args.smoke)
    imports = [] if args.skip_imports else bench_imports(files, runs, log)
    timings = (bench_views({scale: generate.store_path(scale, out) for scale in scales}, runs,
                           max(1, min(runs, 3)), views, log) if scales else {})
    main_scale = scales[-1] if scales else ""
    if args.skip_rss or not scales:
        rss = None
    elif args.smoke:   # this process has just rendered every view: its own peak stands in
        rss = {"peak_rss_mb": round(_peak_rss_kb() / 1024, 1), "errors": {},
               "process": "the benchmark's own"}
    else:
        rss = measure_rss(generate.store_path(main_scale, out), log)
    rows = build_rows(imports, timings, rss, main_scale)
    table = text_table(rows)
    print()
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if args.smoke else "latest" if scales else "imports"   # imports only: keep latest.* whole
    report = {"when": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(), "runs": runs,
              "scales": scales, "smoke": args.smoke, "today": generate.TODAY.isoformat(), "rows": rows,
              "views": {s: [asdict(v) for v in t] for s, t in timings.items()},
              "imports": [asdict(i) for i in imports], "rss": rss}
    (args.results / f"{stem}.json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    (args.results / f"{stem}.md").write_text(
        f"Benchmark of {report['when']} on {report['machine']}; medians of {runs} run(s); "
        f"scales {', '.join(scales)}.\n\n{markdown(rows)}\n", encoding="utf-8")
    log(f"wrote {args.results / (stem + '.json')} and {stem}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
