"""Direct quotations and who said them: the quote stage of an article.

Quote marks are paired (``quote_marks``), spans that are not speech left out
(``speech_spans``), and each quotation and reported statement given a speaker
by the rule cascade (``speaker_rules``, resolving names through
``speaker_resolution``). That cascade proposes; the trained ranker of
``speaker_ranker`` decides, reading the proposal as one feature among the
parse and the page's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .attribution import quote_attribution
from .paragraphs import is_navigation, paragraph_spans
from .quote_marks import Quote, find_quote_spans, speech_marks
from .speaker_ranker import ArticlePage, ParseEvidence, QuoteView, cascade_shares, quote_features, speaker_model
from .speaker_resolution import Mention, SpeakerResolver, with_recurring_names
from .speaker_rules import attribute, reported_statements
from .speech_spans import is_attributed_fragment, is_partial_quote, is_speech

__all__ = ["Mention", "Quote", "extract_quotes", "find_quote_spans", "link_titles", "quote_frames", "quote_id_for",
           "speaker_feature_rows", "speech_marks"]


# Sieves whose evidence names the speaker outright (or names someone the article does not), which the
# ranker does not overrule: a transcript turn's label ("WALLACE: …") and a signature after a dash
# ("“…” ― Ana Ruiz", reader roundups) are too rare in the training sets for the model to learn their weight.
DECISIVE_SIEVES = frozenset({"transcript_turn", "continues_transcript_turn", "transcript_turn_unnamed",
                             "signed_with_dash"})


def quote_id_for(article_id: str, start: int, end: int, kind: str = "direct") -> str:
    key = f"{article_id}:{start}:{end}" + ("" if kind == "direct" else f":{kind}")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def link_titles(text: str, quotes: list[Quote], mentions: Sequence[Mention]) -> dict[int, list[tuple[str, str]]]:
    """For each quote, the TITLE entities it is about: named inside it, else in its paragraph, else the article's main title."""
    titles = [m for m in mentions if m.entity_type == "TITLE"]
    paragraphs = paragraph_spans(text)
    counts: dict[str, int] = {}
    for m in titles:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    main = max(counts, key=counts.get) if counts else None
    links: dict[int, list[tuple[str, str]]] = {}
    for index, quote in enumerate(quotes):
        inside = {m.entity_id for m in titles if quote.start <= m.start and m.end <= quote.end}
        if inside:
            links[index] = [(e, "named_in_quote") for e in sorted(inside)]
            continue
        p_start, p_end = paragraphs[quote.paragraph]
        nearby = {m.entity_id for m in titles if p_start <= m.start and m.end <= p_end}
        if nearby:
            links[index] = [(e, "named_in_paragraph") for e in sorted(nearby)]
        elif main is not None:
            links[index] = [(main, "article_main_title")]
    return links


def extract_quotes(text: str, mentions: Sequence[Mention], doc=None, headline: str | None = None,
                   rank_speakers: bool = True) -> list[Quote]:
    """The speech quotes of an article with their speakers; titles and scare quotes left out.

    With the article's parsed ``doc`` (spaCy, parser on), speakers come from
    the parse and reported speech is added as quotes of kind "indirect"; the
    speaker of each direct quote is then decided by the trained ranker
    (``nlp.speaker_ranker``), which reads the rule cascade's choice as a
    feature. ``rank_speakers=False`` keeps the cascade's choice (training reads it).
    """
    working = speech_marks(text)
    mentions = speaker_mentions(text, mentions)
    # With the levels traded the offsets are unchanged, so the quotes point into ``text``.
    quotes = _extract_quotes(working, mentions, doc)
    if rank_speakers and doc is not None and (model := speaker_model()) is not None:
        ranked = [(quote, candidates, rows) for quote, candidates, rows
                  in _feature_rows(working, quotes, mentions, doc, headline) if quote.attribution not in DECISIVE_SIEVES]
        carried = {id(quote): quote.attribution for quote, _, _ in ranked}
        for (quote, candidates, _), best in zip(ranked, model.choose_each([rows for _, _, rows in ranked])):
            _assign_ranked(quote, candidates, best)
        _carry_decided_speakers([quote for quote, _, _ in ranked], carried)
    for quote in quotes:
        quote.text = text[quote.start:quote.end]
    return quotes


def speaker_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions speakers are read from: the entity stage's, with the names it left unmarked found again
    (``speaker_resolution.with_recurring_names``)."""
    return with_recurring_names(text, mentions)


def speaker_feature_rows(text: str, quotes: Sequence[Quote], mentions: Sequence[Mention], doc,
                         headline: str | None = None):
    """For each quote in the narrative, direct and reported: the quote, its candidates and their feature rows."""
    return _feature_rows(text, quotes, speaker_mentions(text, mentions), doc, headline)


def _feature_rows(text: str, quotes: Sequence[Quote], mentions: Sequence[Mention], doc, headline: str | None):
    direct = [q for q in quotes if q.level == 0 and q.kind == "direct"]
    reported = [q for q in quotes if q.kind == "indirect"]
    quote_ranges = [(q.start, q.end) for q in direct]
    page = ArticlePage(text, mentions, quote_ranges, doc, headline, paragraph_spans(text))
    if not page.candidates:
        return []
    views = [QuoteView(q.start, q.end, q.paragraph, q.is_partial, q.speaker_entity_id, q.attribution) for q in direct]
    shares = cascade_shares(views)
    out = []
    for index, (quote, view) in enumerate(zip(direct, views)):
        parse = _parse_evidence(doc, quote, quote_ranges)
        candidates, rows = quote_features(page, view, parse, views[index - 1] if index else None, shares)
        out.append((quote, candidates, rows))
    for quote in reported:
        view = QuoteView(quote.start, quote.end, quote.paragraph, False, quote.speaker_entity_id, quote.attribution,
                         reported=True)
        candidates, rows = quote_features(page, view, _parse_evidence(doc, quote, quote_ranges + [(quote.start, quote.end)]),
                                          None, shares)
        out.append((quote, candidates, rows))
    return out


def _parse_evidence(doc, quote: Quote, quote_ranges) -> ParseEvidence:
    governing = quote_attribution(doc, quote.start, quote.end, quote_ranges, governing_only=True)
    nearest = governing or quote_attribution(doc, quote.start, quote.end, quote_ranges)
    def span(attribution):
        phrase = attribution.speaker if attribution is not None else None
        return (phrase.start, phrase.end) if phrase is not None else None
    phrase = nearest.speaker if nearest is not None else None
    return ParseEvidence(span(governing), span(nearest),
                         phrase.text.casefold() if phrase is not None and phrase.is_pronoun else None)


def _assign_ranked(quote: Quote, candidates, best: int | None) -> None:
    """The ranker's choice: a candidate, or no speaker."""
    if best is None:
        if quote.speaker_entity_id is not None:
            quote.speaker = quote.speaker_entity_id = None
            quote.attribution = "ranker_no_speaker"
        return
    chosen = candidates[best]
    if chosen.entity_id != quote.speaker_entity_id:
        quote.speaker, quote.speaker_entity_id = chosen.name, chosen.entity_id
        quote.attribution = "ranker"


def _carry_decided_speakers(ranked: Sequence[Quote], attribution_before: dict[int, str | None]) -> None:
    """A quote whose speaker the rules carried over from another one (the second half of a split quote, the
    next paragraph of an unclosed one, a later quote of one voice's paragraph) speaks with that one's voice as
    finally decided: where the ranker changed the source's speaker and left the carried quote as the rules had
    it, the change is carried over too, in reading order, so it runs down a chain of continuations."""
    for quote in sorted(ranked, key=lambda q: q.start):
        source = quote.carried_from
        if source is None or quote.attribution != attribution_before.get(id(quote)):
            continue  # nothing carried, or the ranker decided this quote against the rules
        if source.speaker_entity_id != quote.speaker_entity_id:
            quote.speaker, quote.speaker_entity_id = source.speaker, source.speaker_entity_id


def _extract_quotes(text: str, mentions: Sequence[Mention], doc=None) -> list[Quote]:
    spans = find_quote_spans(text)
    paragraphs = paragraph_spans(text)
    kept: list[Quote] = []
    ranges = [(q.start, q.end) for q in spans if q.level == 0]
    navigation = {i for i, (start, end) in enumerate(paragraphs) if is_navigation(text[start:end])}
    for quote in spans:
        if quote.paragraph in navigation:
            continue  # "« Previous | Next »" marks no quotation
        if is_speech(quote, text) or (doc is not None and quote.level == 0 and is_attributed_fragment(doc, quote, ranges, mentions)):
            kept.append(quote)
    # Re-index parents among the kept quotes.
    index_of = {id(q): i for i, q in enumerate(kept)}
    for quote in kept:
        if quote.parent is not None:
            parent = spans[quote.parent]
            quote.parent = index_of.get(id(parent))
            if quote.parent is None:
                quote.level = 0
    for quote in kept:
        quote.is_partial = quote.level == 0 and is_partial_quote(quote, text, paragraphs[quote.paragraph][0])
    # Reported speech first: a quotation paragraph after "…, Schiff said." continues its speaker.
    resolver = SpeakerResolver(text, mentions, kept, doc)  # one per article: its role index is built once
    reported = reported_statements(text, doc, kept, mentions, [(q.start - 1, q.end + 1) for q in spans], resolver) \
        if doc is not None else []
    attribute(text, kept, mentions, doc, reported, resolver)
    return kept + reported


QUOTE_FRAME_SCHEMA = {
    "quote_id": "String",
    "article_id": "String",
    "text": "String",
    "start_char": "Int32",
    "end_char": "Int32",
    "speaker": "String",
    "speaker_entity_id": "String",
    "cue": "String",
    "parent_quote_id": "String",
    "is_partial": "Boolean",
    "attribution": "String",
    "kind": "String",
}
QUOTE_TITLE_FRAME_SCHEMA = {"quote_id": "String", "article_id": "String", "title_entity_id": "String", "link": "String"}


def quote_frames(quotes_by_article: dict[str, tuple[str, list[Quote], Sequence[Mention]]]):
    """The ``quotes`` rows and the quote-to-title links of a batch of articles."""
    import polars as pl

    quote_rows, link_rows = [], []
    for article_id, (text, quotes, mentions) in quotes_by_article.items():
        ids = [quote_id_for(article_id, q.start, q.end, q.kind) for q in quotes]
        for quote, quote_id in zip(quotes, ids):
            quote_rows.append({
                "quote_id": quote_id,
                "article_id": article_id,
                "text": quote.text,
                "start_char": quote.start,
                "end_char": quote.end,
                "speaker": quote.speaker,
                "speaker_entity_id": quote.speaker_entity_id,
                "cue": quote.cue,
                "parent_quote_id": ids[quote.parent] if quote.parent is not None else None,
                "is_partial": quote.is_partial,
                "attribution": quote.attribution,
                "kind": quote.kind,
            })
        for index, links in link_titles(text, quotes, mentions).items():
            for entity_id, how in links:
                link_rows.append({"quote_id": ids[index], "article_id": article_id, "title_entity_id": entity_id, "link": how})
    quotes_frame = pl.DataFrame(quote_rows, schema={k: getattr(pl, v) for k, v in QUOTE_FRAME_SCHEMA.items()})
    links_frame = pl.DataFrame(link_rows, schema={k: getattr(pl, v) for k, v in QUOTE_TITLE_FRAME_SCHEMA.items()})
    return quotes_frame, links_frame
