"""Which spans between quote marks are speech: not titles, not scare quotes, not a lone word;
and which are partial quotes woven into the writer's sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .attribution import quote_attribution
from .cue_patterns import AFTER_CUE_FIRST, AFTER_WHO_FIRST, CUE_RE
from .entities import is_title_case
from .lexicon import NOT_A_TITLE
from .quote_marks import Quote
from .speaker_resolution import Mention


def trimmed(quote: Quote) -> str:
    return quote.text.strip().rstrip(",.;:!?…").strip()


def is_speech(quote: Quote, text: str) -> bool:
    """Not a title, not a scare quote, not a single word."""
    inner = trimmed(quote)
    words = re.findall(r"[\w'’-]+", inner)
    if len(words) < 3:
        # "The boots," he said: a short quote is speech only when attributed right after it.
        after = text[quote.end + 1:quote.end + 40] if quote.closed else ""
        punctuated = quote.text.rstrip()[-1:] in (",", "!", "?")
        if bool(words) and punctuated and bool(AFTER_WHO_FIRST.match(after) or AFTER_CUE_FIRST.match(after)):
            return True
        # "…," she said. "Nothing changed.": the second half of a split quote, a sentence of its own.
        before = text[max(0, quote.start - 80):max(0, quote.start - 1)]
        sentence = inner[:1].isupper() and quote.text.rstrip()[-1:] in (".", "!", "?")
        return bool(words) and sentence and bool(re.search(rf"[”\"’'][^“”\"]*\b(?:{CUE_RE})\b[^“”\".]*[.,]\s*$", before))
    if is_title_case(inner, max_words=10) and not re.search(r"[.!?,]", inner) and inner.casefold() not in NOT_A_TITLE:
        return False
    return True


def is_attributed_fragment(doc, quote: Quote, ranges, mentions: Sequence[Mention]) -> bool:
    """A word or two in quote marks that a verb of saying governs in the parse, said by a named
    person or organisation (or "he", "she"), is speech too: Clinton says the tweets were
    “unhinged”; he called the plan “a con”. Not "critics called it “raw”" (nobody named), and
    title-case words stay titles ("the new song ‘Night Shift’")."""
    inner = trimmed(quote)
    if not inner or is_title_case(inner, max_words=10):
        return False
    attribution = quote_attribution(doc, quote.start, quote.end, ranges, governing_only=True)
    if attribution is None or attribution.speaker is None:
        return False
    phrase = attribution.speaker
    return phrase.is_pronoun and phrase.text.casefold() in ("he", "she") or any(
        m.entity_type in ("PERSON", "ORG") and m.start < phrase.end and phrase.start < m.end for m in mentions)


def is_partial_quote(quote: Quote, text: str, paragraph_start: int) -> bool:
    """A fragment woven into the writer's sentence: the studio is "in no hurry"."""
    first = quote.text.lstrip()[:1]
    before = text[paragraph_start:quote.start - 1].rstrip()
    if not first or not first.islower():
        return False
    # After a cue and a comma or colon the quote is the whole utterance, even lower-cased.
    return not re.search(r"(?:[,:]|\bsaid|\bsays)\s*$", before)
