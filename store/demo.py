"""The built-in demo workspace (placeholder: filled in by the foundation work)."""
from __future__ import annotations


def ensure_workspace(con) -> None:
    """Load the demo on first start with an empty store; do nothing otherwise."""
    return None
