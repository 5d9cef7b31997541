"""Quote marks: where quotations start and end.

Marks are paired by where they stand (an opening mark follows a space or the
start of a paragraph, a closing mark follows a word), so straight and curly
marks can be mixed and a quote can hold another. A paragraph that opens a
quote and never closes it continues into the next paragraph's opening mark,
as news style writes long quotes. Before pairing, ``speech_marks`` brings two
other conventions to this one, offsets unchanged: archive text's two
apostrophes for a double mark, and British style's single marks for speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paragraphs import paragraph_spans

# «guillemets» are paired too: wire copy from European desks uses them.
DOUBLE_MARKS = {"“", "”", '"', "«", "»"}
SINGLE_MARKS = {"‘", "’", "'"}


@dataclass
class Quote:
    """A quotation: where its words stand (marks excluded), how it nests, and what the stage found about it."""

    start: int  # of the quoted words, marks excluded
    end: int
    text: str
    paragraph: int
    closed: bool
    level: int = 0  # 0 for a quote in the narrative, 1 for speech quoted inside a quote
    parent: int | None = None  # index of the enclosing quote
    speaker: str | None = None
    speaker_entity_id: str | None = None
    cue: str | None = None
    attribution: str | None = None  # how the speaker was found
    is_partial: bool = False
    title_ids: list[str] = field(default_factory=list)
    kind: str = "direct"  # "indirect" for reported speech ("Park said the studio would …")
    # The quote (or reported statement) whose speaker the rules carried over to this one, when they did.
    carried_from: "Quote | None" = field(default=None, repr=False, compare=False)


def _is_opening(text: str, at: int, para_start: int) -> bool:
    before = text[at - 1] if at > para_start else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,\u2014" or before in DOUBLE_MARKS | SINGLE_MARKS) and not after.isspace()


def _is_closing(text: str, at: int, para_end: int) -> bool:
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < para_end else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def find_quote_spans(text: str) -> list[Quote]:
    """Every span between matching quote marks, nested ones included, with its paragraph."""
    quotes: list[Quote] = []
    paragraphs = paragraph_spans(text)
    for index, (p_start, p_end) in enumerate(paragraphs):
        stack: list[tuple[int, str]] = []  # (position of the opening mark, "double" | "single")
        for at in range(p_start, p_end):
            ch = text[at]
            if ch in DOUBLE_MARKS:
                opening = ch in "“«" or (ch == '"' and _is_opening(text, at, p_start))
                closing = ch in "”»" or (ch == '"' and _is_closing(text, at, p_end))
                open_doubles = [i for i, (_, kind) in enumerate(stack) if kind == "double"]
                if closing and open_doubles and not (opening and not _is_closing(text, at, p_end)):
                    level_index = open_doubles[-1]
                    start, _ = stack[level_index]
                    del stack[level_index:]
                    quotes.append(Quote(start + 1, at, text[start + 1:at], index, True, level=len(open_doubles) - 1))
                elif opening:
                    stack.append((at, "double"))
            elif ch in SINGLE_MARKS:
                # Single marks count only inside a double-quoted span: elsewhere they
                # are apostrophes or headline-style title marks.
                if not any(kind == "double" for _, kind in stack):
                    continue
                prev_alnum = at > p_start and text[at - 1].isalnum()
                next_alnum = at + 1 < p_end and text[at + 1].isalnum()
                if prev_alnum and next_alnum:
                    continue  # don't, Cameron's
                if ch in "‘'" and not prev_alnum and next_alnum and _is_opening(text, at, p_start):
                    stack.append((at, "single"))
                elif ch in "’'" and stack and stack[-1][1] == "single" and _is_closing(text, at, p_end):
                    start, _ = stack.pop()
                    level = sum(1 for _, kind in stack if kind == "double")
                    quotes.append(Quote(start + 1, at, text[start + 1:at], index, True, level=level))
        # An opening double mark left open runs to the end of the paragraph (continued in the next one).
        for start, kind in stack:
            if kind == "double" and start == min(s for s, k in stack if k == "double"):
                end = p_end
                while end > start + 1 and text[end - 1].isspace():
                    end -= 1
                quotes.append(Quote(start + 1, end, text[start + 1:end], index, False, level=0))
    quotes.sort(key=lambda q: (q.start, -q.end))
    for i, quote in enumerate(quotes):
        for j in range(i - 1, -1, -1):
            outer = quotes[j]
            if outer.start <= quote.start and quote.end <= outer.end and outer is not quote and outer.level < quote.level:
                quote.parent = j
                break
    return quotes


def single_marks_are_primary(text: str) -> bool:
    """British style: speech in ‘single’ marks, "double" ones only inside them.

    Told by the marks themselves: hardly any double marks, and several single
    closing marks right after a comma or full stop (‘…,’ she said), which an
    apostrophe or a quoted title never has.
    """
    doubles = sum(text.count(mark) for mark in DOUBLE_MARKS)
    closings = len(re.findall(r"[,.!?…][’'](?=\s|$)", text))
    return closings >= 2 and doubles < closings


def _swap_mark_levels(text: str) -> str:
    """The text with single and double marks traded, apostrophes left alone; same length, same offsets."""
    out = []
    for at, ch in enumerate(text):
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if ch in "‘’'" and before.isalnum() and after.isalnum():
            out.append(ch)  # it’s, O’Neill
        elif ch in "’'" and before.isalnum() and not after.isalnum() and before.casefold() == "s" and not after in ",.!?;:":
            out.append(ch)  # the studios’ deal
        elif ch in "‘'" and after.isdigit():
            out.append(ch)  # the ’90s
        else:
            out.append({"‘": "“", "’": "”", "'": '"', "“": "‘", "”": "’", '"': "'"}.get(ch, ch))
    return "".join(out)


def _two_apostrophes_as_marks(text: str) -> str:
    """Archive text writes a double quote mark as two apostrophes (''…''): make each pair one
    straight double mark plus a space on its outer side, so offsets stay those of ``text``."""
    if "''" not in text:
        return text
    out = list(text)
    for at in range(len(text) - 1):
        if text[at:at + 2] != "''" or (at and text[at - 1] == "'") or text[at + 2:at + 3] == "'":
            continue
        before = text[at - 1] if at else " "
        if before.isspace() or before in "([{—–-":
            out[at], out[at + 1] = " ", '"'  # opening: the mark stands right before the first word
        else:
            out[at], out[at + 1] = '"', " "  # closing: right after the last one
    return "".join(out)


def speech_marks(text: str) -> str:
    """The text with speech marked by double marks (two apostrophes made one mark, British single
    marks traded with double ones), same length and offsets: the text quotes are paired in."""
    marked = _two_apostrophes_as_marks(text)
    return _swap_mark_levels(marked) if single_marks_are_primary(marked) else marked
