"""Step 2 of an import: recognise export layouts by their headers.

Layouts are data: one TOML file per platform report in ``data/layouts/`` (see its README),
plus the column mappings users saved in the app (table ``saved_mappings``). A layout names
the relation it feeds, its fields (header aliases in every language seen, a parse type),
the fields whose headers identify it, and row rules (totals, description rows, junk rows).
Recognition looks at the first rows of every sheet, splits each row into blocks of adjacent
non-empty cells (several tables can sit side by side) and matches blocks against layouts.
"""
from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from store.relations import RELATIONS

LAYOUT_DIR = Path(__file__).resolve().parent.parent / "data" / "layouts"
TYPES = {"date", "datetime", "count", "number", "rate", "duration", "text", "id", "format", "bool"}
AUX_FIELDS = {"date_start", "date_end"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]
    type: str
    scale: str = "fraction"                         # rates: 'fraction' (0.125) or 'percent' (12.5)
    by_sheet: tuple[tuple[str, str], ...] = ()      # value column whose field depends on the sheet name


@dataclass(frozen=True)
class Output:
    """An extra relation fed by a layout: rows matching ``where`` copied with renamed fields."""
    target: str
    where: tuple[tuple[str, str], ...]
    fields: tuple[tuple[str, str], ...]  # (target field, layout field)


@dataclass(frozen=True)
class Layout:
    platform: str
    report: str
    title: str
    target: str
    fields: tuple[FieldSpec, ...]
    identify: tuple[str, ...]
    evidence: str = ""
    skip_after_header: int = 0
    drop_rows: tuple[tuple[str, str, str], ...] = ()   # (field, 'equals'|'prefix'|'keep', value)
    require_values: tuple[str, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    also: tuple[Output, ...] = ()
    key_hash: tuple[str, ...] = ()
    period_from_preamble: bool = False
    source_file: str = ""
    mapping_id: int | None = None

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


@dataclass
class Match:
    """A layout found in a sheet: the header row and, per field, the column index and header text."""
    layout: Layout
    sheet_index: int
    header_row: int                       # 1-based src_row of the header
    columns: dict[str, tuple[int, str]]   # field -> (column index, header text as in the file)
    first_col: int
    last_col: int
    by_sheet_field: str | None = None     # resolved target field of a by_sheet value column

    @property
    def label(self) -> str:
        return f"{self.layout.platform}/{self.layout.report}"


def norm(text: str) -> str:
    """Header text for comparison: NFKC (full-width → ASCII), lower case, single spaces."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().strip('"').strip().lower()


def parse_layout(data: dict, source_file: str = "") -> Layout:
    """Build a Layout from its TOML data, checking it (raises ValueError naming the file and key)."""
    where = source_file or data.get("report", "?")
    try:
        target = data["target"]
        if target not in RELATIONS:
            raise ValueError(f"unknown target {target!r}")
        relation = RELATIONS[target]
        filters = {d["field"] for d in data.get("drop_rows", []) + data.get("keep_rows", [])}
        filters |= {f for o in data.get("also", []) for f in o.get("where", {})}
        known = set(relation.columns) | AUX_FIELDS | filters
        fields = []
        for name, spec in data["fields"].items():
            ftype = spec.get("type", "text")
            if ftype not in TYPES:
                raise ValueError(f"field {name}: unknown type {ftype!r}")
            by_sheet = tuple((norm(k), v) for k, v in spec.get("by_sheet", {}).items())
            if name not in known and not by_sheet:
                raise ValueError(f"field {name}: not a column of {target}")
            fields.append(FieldSpec(name, tuple(norm(h) for h in spec["headers"]), ftype,
                                    spec.get("scale", "fraction"), by_sheet))
        names = {f.name for f in fields}
        for ident in data["identify"]:
            if ident not in names:
                raise ValueError(f"identify names {ident!r}, which is not a field")
        also = tuple(Output(o["target"], tuple(o.get("where", {}).items()), tuple(o["fields"].items()))
                     for o in data.get("also", []))
        drops = tuple((d["field"], "prefix" if "prefix" in d else "equals", d.get("prefix", d.get("equals")))
                      for d in data.get("drop_rows", []))
        drops += tuple((d["field"], "keep", d["equals"]) for d in data.get("keep_rows", []))
        return Layout(
            platform=data["platform"], report=data["report"], title=data.get("title", data["report"]),
            target=target, fields=tuple(fields), identify=tuple(data["identify"]),
            evidence=data.get("evidence", ""), skip_after_header=int(data.get("skip_after_header", 0)),
            drop_rows=drops, require_values=tuple(data.get("require_values", [])),
            constants=tuple(data.get("constants", {}).items()), also=also,
            key_hash=tuple(data.get("key_hash", [])),
            period_from_preamble=bool(data.get("period_from_preamble", False)),
            source_file=source_file, mapping_id=data.get("mapping_id"))
    except KeyError as e:
        raise ValueError(f"layout {where}: missing key {e}") from None
    except ValueError as e:
        raise ValueError(f"layout {where}: {e}") from None


@lru_cache(maxsize=1)
def builtin_layouts() -> tuple[Layout, ...]:
    """Every layout declared in ``data/layouts/*.toml``."""
    return tuple(parse_layout(tomllib.loads(p.read_text(encoding="utf-8")), p.name)
                 for p in sorted(LAYOUT_DIR.glob("*.toml")))


def saved_layouts(con) -> list[Layout]:
    """Layouts made from the column mappings users saved in the app."""
    rows = con.execute("SELECT mapping_id, platform, report, target, field_headers, field_types "
                       "FROM saved_mappings ORDER BY mapping_id").fetchall()
    out = []
    for mapping_id, platform, report, target, headers, types in rows:
        headers, types = json.loads(headers), json.loads(types)
        data = {"platform": platform, "report": report, "title": f"{platform} {report} (saved mapping)",
                "target": target, "identify": list(headers), "mapping_id": mapping_id,
                "fields": {f: {"headers": [h], "type": types.get(f, "count")} for f, h in headers.items()}}
        out.append(parse_layout(data, f"saved mapping {mapping_id}"))
    return out


def blocks(row: list[str]) -> list[tuple[int, int]]:
    """Runs of adjacent non-empty cells as (first, last) column indexes."""
    out, start = [], None
    for i, cell in enumerate(row + [""]):
        if str(cell).strip() and start is None:
            start = i
        elif not str(cell).strip() and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def _match_block(layout: Layout, cells: dict[str, tuple[int, str]], sheet_name: str):
    columns: dict[str, tuple[int, str]] = {}
    by_sheet_field = None
    for spec in layout.fields:
        for alias in spec.headers:
            if alias in cells:
                if spec.by_sheet:
                    target = dict(spec.by_sheet).get(norm(sheet_name))
                    if target is None:
                        return None
                    by_sheet_field = target
                columns[spec.name] = cells[alias]
                break
    if not all(name in columns for name in layout.identify):
        return None
    return columns, by_sheet_field


def recognise(sheets, layouts) -> list[Match]:
    """Find every layout in ``sheets`` (readers.Sheet list): the best layout per header block."""
    found: list[Match] = []
    for s_index, sheet in enumerate(sheets):
        taken: list[tuple[int, int]] = []
        for r_index, row in enumerate(sheet.head):
            for first, last in blocks(row):
                if any(not (last < a or first > b) for a, b in taken):
                    continue
                cells: dict[str, tuple[int, str]] = {}
                for i in range(first, last + 1):
                    cells.setdefault(norm(row[i]), (i, str(row[i]).strip()))
                best = None
                for layout in layouts:
                    result = _match_block(layout, cells, sheet.name)
                    if result is None:
                        continue
                    score = (len(result[0]), layout.mapping_id is not None, len(layout.identify))
                    if best is None or score > best[0]:
                        best = (score, layout, result)
                if best:
                    _, layout, (columns, by_sheet_field) = best
                    found.append(Match(layout, s_index, r_index + 1, columns, first, last, by_sheet_field))
                    taken.append((first, last))
    return found


def header_candidates(sheet) -> tuple[int, list[str]]:
    """For the mapping step: the likeliest header row of an unknown sheet (1-based) and its cells."""
    best_row, best_cells = 1, []
    for r_index, row in enumerate(sheet.head[:20]):
        cells = [str(c).strip() for c in row]
        filled = sum(1 for c in cells if c)
        textual = sum(1 for c in cells if c and not re.fullmatch(r"[-+.,%\d\s]+", c))
        if textual >= 2 and filled > len([c for c in best_cells if c]):
            best_row, best_cells = r_index + 1, cells
    return best_row, best_cells
