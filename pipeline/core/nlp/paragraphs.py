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


_LINK_SEPARATORS = re.compile(r"\s[|•·]\s|\s[«»]\s?|\s?[«»]\s")


# A sum of money: a currency sign before a figure, or a figure in millions ("$41.5 million", "£3m", "12 bn").
_SUM_OF_MONEY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:million|billion|bn|m)\b", re.IGNORECASE)


def is_navigation(paragraph: str) -> bool:
    """A bar of short links ("Share | « Previous Entertainment | Next Entertainment » | Email Print"):
    three or more items of at most four words between separators, and no sentence. Page furniture:
    neither its names are entities nor its marks quotations. A link names no sum of money: a line
    of cells with one is a chart's row ("Copper Sky | $41.5 million | $120 million")."""
    items = [item.strip(" «»‹›<>") for item in _LINK_SEPARATORS.split(paragraph)]
    items = [item for item in items if item]
    return len(items) >= 3 and all(len(item.split()) <= 4 and not item.endswith(".") for item in items) \
        and not any(_SUM_OF_MONEY.search(item) for item in items)
