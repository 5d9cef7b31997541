"""Text shortened for a preview (the UI's Markdown tables, the command's summary, the week's page)."""

from __future__ import annotations

ELLIPSIS = "…"
# A cut before one of these is after a whole word ("the storm|, and" keeps "storm").
_ENDS_A_WORD = " ,.;:!?)]”"
# Left before the ellipsis they would only dangle: "a second chapter,…" reads "a second chapter…".
_TRAILING = " ,;:-–—"


def shorten(text: str, width: int) -> str:
    """``text`` on one line and, when longer than ``width`` characters, cut at the last word that
    fits with an ellipsis after it, so a reader sees it is cut and no word is shown in part.

    A first word longer than ``width`` (a URL) is cut inside: nothing of it would show otherwise.
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    kept = flat[: max(width - len(ELLIPSIS), 1)]
    if flat[len(kept)] not in _ENDS_A_WORD and " " in kept:
        kept = kept[: kept.rindex(" ")]
    return kept.rstrip(_TRAILING) + ELLIPSIS
