"""Step 2 of an import: recognise export layouts by their headers.

Layouts are data: one TOML file per platform report in ``data/layouts/`` (see its README),
plus the column mappings users saved in the app (table ``saved_mappings``). A layout names
the relation it feeds, its fields (header aliases in every language seen, a parse type),
the fields whose headers identify it, and row rules (totals, description rows, junk rows).
Recognition looks at the first rows of every sheet, splits each row into blocks of adjacent
non-empty cells (several tables can sit side by side) and matches blocks against layouts.
"""
from __future__ import annotations

import fnmatch
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from store.relations import RELATIONS

LAYOUT_DIR = Path(__file__).resolve().parent.parent / "data" / "layouts"
TYPES = {"date", "datetime", "count", "number", "rate", "duration", "text", "id", "format", "bool", "ignore"}
AUX_FIELDS = {"date_start", "date_end"}
IGNORED = "-"   # a by_sheet target meaning "recognised, not stored"
LAYOUT_KEYS = {"platform", "report", "title", "target", "evidence", "identify", "identify_any", "fields",
               "skip_after_header", "drop_rows", "keep_rows", "require_values", "constants", "also", "key_hash",
               "period_from_preamble", "sheets", "sum_per_key", "note", "mapping_id"}
FIELD_KEYS = {"headers", "type", "scale", "by_sheet", "default"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]                        # normalised aliases; '*' is a wildcard
    type: str                                       # 'ignore': recognised, never parsed or stored
    scale: str = "fraction"                         # rates: 'fraction' (0.125) or 'percent' (12.5)
    by_sheet: tuple[tuple[str, str], ...] = ()      # value column whose field depends on the sheet name
    default: str | None = None                      # value stored when the cell is empty

    @property
    def ignored(self) -> bool:
        return self.type == "ignore"


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
    key_hash: tuple[str, ...] = ()                 # 'field' or 'field:date' (only the day of a timestamp)
    period_from_preamble: bool = False
    identify_any: tuple[str, ...] = ()             # at least one of these fields must be present too
    sheets: tuple[str, ...] = ()                   # sheet-name patterns the layout is limited to
    sum_per_key: tuple[str, ...] = ()              # rows of one natural key are combined, these summed
    note: str = ""                                 # why some figures are not stored
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
        unknown = set(data) - LAYOUT_KEYS
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}")
        target = data["target"]
        if target not in RELATIONS:
            raise ValueError(f"unknown target {target!r}")
        relation = RELATIONS[target]
        filters = {d["field"] for d in data.get("drop_rows", []) + data.get("keep_rows", [])}
        filters |= {f for o in data.get("also", []) for f in o.get("where", {})}
        known = set(relation.columns) | AUX_FIELDS | filters
        fields = []
        for name, spec in data["fields"].items():
            if set(spec) - FIELD_KEYS:
                raise ValueError(f"field {name}: unknown key(s) {', '.join(sorted(set(spec) - FIELD_KEYS))}")
            ftype = spec.get("type", "text")
            if ftype not in TYPES:
                raise ValueError(f"field {name}: unknown type {ftype!r}")
            by_sheet = tuple((norm(k), v) for k, v in spec.get("by_sheet", {}).items())
            for _, out in by_sheet:
                if out != IGNORED and out not in relation.columns:
                    raise ValueError(f"field {name}: by_sheet names {out!r}, not a column of {target}")
            if name not in known and not by_sheet and ftype != "ignore":
                raise ValueError(f"field {name}: not a column of {target}")
            if not spec.get("headers"):
                raise ValueError(f"field {name}: no headers")
            if spec.get("scale", "fraction") not in ("fraction", "percent"):
                raise ValueError(f"field {name}: scale must be 'fraction' or 'percent'")
            default = spec.get("default")
            fields.append(FieldSpec(name, tuple(norm(h) for h in spec["headers"]), ftype,
                                    spec.get("scale", "fraction"), by_sheet,
                                    None if default is None else str(default)))
        names = {f.name for f in fields}
        for key in ("identify", "identify_any", "require_values", "sum_per_key"):
            for ref in data.get(key, []):
                if ref not in names:
                    raise ValueError(f"{key} names {ref!r}, which is not a field")
        for ref in data.get("key_hash", []):
            if ref.split(":")[0] not in names or ref.split(":")[1:] not in ([], ["date"]):
                raise ValueError(f"key_hash names {ref!r}: use a field, or 'field:date'")
        if not data["identify"]:
            raise ValueError("identify is empty")
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
            identify_any=tuple(data.get("identify_any", [])),
            sheets=tuple(norm(p) for p in data.get("sheets", [])),
            sum_per_key=tuple(data.get("sum_per_key", [])), note=data.get("note", ""),
            source_file=source_file, mapping_id=data.get("mapping_id"))
    except KeyError as e:
        raise ValueError(f"layout {where}: missing key {e}") from None
    except (ValueError, TypeError, AttributeError) as e:
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


def _find(alias: str, cells: dict[str, tuple[int, str]], used: set[int]):
    """The cell a header alias names: exact, else the first wildcard match not used yet."""
    if "*" not in alias:
        return cells.get(alias)
    for text, cell in cells.items():
        if cell[0] not in used and fnmatch.fnmatchcase(text, alias):
            return cell
    return None


def sheet_allowed(layout: Layout, sheet_name: str) -> bool:
    """Whether ``layout`` may match on a sheet of this name (layouts without ``sheets``: any)."""
    name = norm(sheet_name)
    return not layout.sheets or any(fnmatch.fnmatchcase(name, p) for p in layout.sheets)


def _match_block(layout: Layout, cells: dict[str, tuple[int, str]], sheet_name: str):
    if not sheet_allowed(layout, sheet_name):
        return None
    columns: dict[str, tuple[int, str]] = {}
    used: set[int] = set()
    by_sheet_field = None
    for spec in layout.fields:
        for alias in spec.headers:
            cell = _find(alias, cells, used)
            if cell is None:
                continue
            if spec.by_sheet:
                name = norm(sheet_name)
                target = next((out for pattern, out in spec.by_sheet if fnmatch.fnmatchcase(name, pattern)), None)
                if target is None:
                    return None
                by_sheet_field = target
            columns[spec.name] = cell
            used.add(cell[0])
            break
    if not all(name in columns for name in layout.identify):
        return None
    if layout.identify_any and not any(name in columns for name in layout.identify_any):
        return None
    return columns, by_sheet_field


def match_score(layout: Layout, columns: dict) -> tuple:
    """How well a layout fits a header block: more matched columns first, then saved mappings."""
    return (len(columns), layout.mapping_id is not None, len(layout.identify))


def recognise(sheets, layouts) -> list[Match]:
    """Find every layout in ``sheets`` (readers.Sheet list): the best layout per header block.

    The matches of the platform that explains most columns come first (the importer keeps
    the first match's platform), the rest in sheet and row order.
    """
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
                    score = match_score(layout, result[0])
                    if best is None or score > best[0]:
                        best = (score, layout, result)
                if best:
                    _, layout, (columns, by_sheet_field) = best
                    found.append(Match(layout, s_index, r_index + 1, columns, first, last, by_sheet_field))
                    taken.append((first, last))
    weight: dict[str, int] = {}
    for m in found:
        weight[m.layout.platform] = weight.get(m.layout.platform, 0) + len(m.columns)
    return sorted(found, key=lambda m: -weight[m.layout.platform])


def header_candidates(sheet) -> tuple[int, list[str]]:
    """For the mapping step: the likeliest header row of an unknown sheet (1-based) and its cells."""
    best_row, best_cells, best_count = 1, [], 0
    for r_index, row in enumerate(sheet.head[:20]):
        cells = [str(c).strip() for c in row]
        distinct = {c for c in cells if c}          # a merged notice row repeats one text
        textual = {c for c in distinct if not re.fullmatch(r"[-+.,%\d\s]+", c)}
        if len(textual) >= 2 and len(distinct) > best_count:
            best_row, best_cells, best_count = r_index + 1, cells, len(distinct)
    return best_row, best_cells


def stored_fields(match: Match) -> set[str]:
    """The figures (non-key columns of the target relation) a recognised block provides."""
    layout = match.layout
    names = set()
    for name in match.columns:
        spec = layout.field(name)
        out = match.by_sheet_field if spec.by_sheet else name
        if not spec.ignored and out != IGNORED:
            names.add(out)
    names |= {name for name, _ in layout.constants}
    names |= {name for extra in layout.also for name, _ in extra.fields}
    return names & set(RELATIONS[layout.target].fields)


def unstored_message(matches: list[Match], sheets=None) -> str | None:
    """When no recognised block provides a figure the store keeps, say so, naming the figures
    (columns neither stored nor identifying) or the layout's note."""
    if not matches or any(stored_fields(m) for m in matches):
        return None
    notes = "; ".join(dict.fromkeys(m.layout.note for m in matches if m.layout.note))
    headers: list[str] = []
    for m in matches:
        identifying = {m.columns[n][0] for n in m.layout.identify if n in m.columns}
        if sheets is not None:
            row = sheets[m.sheet_index].head[m.header_row - 1]
            cells = [(i, str(row[i]).strip()) for i in range(m.first_col, m.last_col + 1)]
        else:
            cells = sorted(m.columns.values())
        for i, header in cells:
            if i not in identifying and header and header not in headers:
                headers.append(header)
    what = notes or (", ".join(headers[:6]) + (", …" if len(headers) > 6 else ""))
    return (f"recognised as {matches[0].layout.title}, but the board keeps none of its figures"
            + (f" ({what})" if what else "") + ": nothing imported")
