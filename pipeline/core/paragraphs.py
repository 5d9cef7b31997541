"""Paragraphs of a clean article text, decided once for the entity and quote stages.

The cleaning stage separates paragraphs with a blank line; a paragraph is what lies
between two such separators.
"""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph, separators excluded, in order (empty ones included)."""
    spans, start = [], 0
    for match in _SEPARATOR.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans
