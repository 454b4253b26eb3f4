"""Chart building for the Budget, Channels, Content and Plan views: a view's marks and
encodings are written as Vega-Lite dicts and handed to Altair in one constructor call.

Chaining ``.encode()``/``.properties()`` deep-copies an Altair chart at every step (10–15 ms a
chart); building each ``alt.Chart`` at once from its parts costs a fraction of that, and the
charts stay Altair charts (titles, axis titles and units as everywhere else).
"""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}


ISO_DAY = "%Y-%m-%d"
ISO_MONTH = "%Y-%m"


def _with_iso_dates(spec: dict, kwargs: dict) -> dict:
    """Dates on axes, in tooltips and legends in ISO form in either language (Vega-Lite's
    defaults are English month names: "Nov 08", "Nov 8, 2026"); a channel's own format wins."""
    if not (kwargs.get("context") or {}).get("top_level", True):
        return spec                     # a layer of a chart: Vega-Lite reads config at the top only
    config = spec.setdefault("config", {})
    config.setdefault("timeFormat", ISO_DAY)
    config["axisTemporal"] = {"format": ISO_DAY, **config.get("axisTemporal", {})}
    return spec


class Layers(alt.LayerChart):
    """A layered chart whose spec Streamlit receives without Altair's JSON-schema check: the
    same spec (built from checked parts), without the check's cost on every render; dates in ISO."""

    def to_dict(self, validate: bool = False, **kwargs) -> dict:
        return _with_iso_dates(super().to_dict(validate, **kwargs), kwargs)


class Chart(alt.Chart):
    """A single-view chart handed to Streamlit without the JSON-schema check (see ``Layers``);
    dates in ISO."""

    def to_dict(self, validate: bool = False, **kwargs) -> dict:
        return _with_iso_dates(super().to_dict(validate, **kwargs), kwargs)


def field(shorthand: str, title: str | None = ..., **extra) -> dict:
    """``"amount:Q"`` → ``{"field": "amount", "type": "quantitative"}`` plus ``title`` (``None``
    hides it) and any other channel property (``format``, ``scale``, ``axis``, ``sort``, ``stack``…)."""
    name, _, kind = shorthand.rpartition(":")
    spec = {"field": name, "type": TYPES[kind]}
    if title is not ...:
        spec["title"] = title
    spec.update(extra)
    return spec


def chart(mark: str | dict, encoding: dict, *, dataset: str | None = None, title: str | None = None,
          height: int | None = None) -> dict:
    """One view: a mark and its encoding, over the chart's data or the named ``dataset``."""
    spec: dict = {"mark": mark if isinstance(mark, dict) else {"type": mark}, "encoding": encoding}
    if dataset is not None:
        spec["data"] = {"name": dataset}
    if title is not None:
        spec["title"] = title
    if height is not None:
        spec["height"] = height
    return spec


def layered(layers: list[dict], datasets: dict[str, pd.DataFrame], *, title: str | None = None,
            height: int | None = None) -> dict:
    """Layers drawn over one another, each over one of the named ``datasets``."""
    spec: dict = {"layer": layers, "datasets": datasets}
    if title is not None:
        spec["title"] = title
    if height is not None:
        spec["height"] = height
    return spec


def altair(spec: dict, data: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """The Altair chart of ``spec`` (a view over ``data``, or layers over named datasets)."""
    if "layer" in spec:
        datasets = spec.get("datasets", {})
        layers = [_view({k: v for k, v in layer.items() if k != "data"},
                        datasets[layer["data"]["name"]] if "data" in layer else data) for layer in spec["layer"]]
        top = {k: v for k, v in spec.items() if k not in ("layer", "datasets")}
        return Layers(layer=layers, **top)
    return _view({k: v for k, v in spec.items() if k != "data"},
                 spec.get("datasets", {}).get(spec["data"]["name"]) if "data" in spec else data)


def _view(parts: dict, data: pd.DataFrame | None) -> alt.Chart:
    encoding = parts.pop("encoding", {})
    return Chart(data if data is not None else alt.Undefined,
                     encoding=alt.FacetedEncoding(**encoding), **parts)


def show(spec: dict, data: pd.DataFrame | None = None, key: str | None = None) -> None:
    """Render ``spec`` (over ``data`` unless its layers name their datasets) at the container's width."""
    st.altair_chart(altair(spec, data), width="stretch", key=key)
