"""The rule cascade that proposes who said each quote.

Speakers come from the attribution around the quote (after it: "…," said X /
X said; before it: X said: "…" / saying, "…"), from the quote it continues,
or from the sentence before a quote-only paragraph; reported speech ("Park
said the studio would …") from the parse. The trained ranker
(``speaker_ranker``) reads the cascade's proposal as one feature.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .attribution import quote_attribution, reported_speech
from .cue_patterns import AFTER_ACCORDING, AFTER_CUE_FIRST, AFTER_WHO_FIRST, CUE_RE, WHO, who_before_cue
from .entities import surname_of
from .lexicon import ROLE_NOUNS
from .paragraphs import paragraph_spans
from .quote_marks import Quote
from .speaker_resolution import (
    Mention, SpeakerResolver, by_name, first_sentence_of, speaker_of_phrase, start_of_sentence,
)


def attribute(text: str, quotes: list[Quote], mentions: Sequence[Mention], doc=None,
              reported: Sequence[Quote] = (), resolver: SpeakerResolver | None = None) -> None:
    """Fill speaker, entity and cue of each speech quote, in reading order.

    With a parsed ``doc`` the cue and its subject come from the dependency
    parse first; the patterns around the quote marks remain for what the
    parse does not settle.
    """
    resolver = resolver or SpeakerResolver(text, mentions, quotes)
    quote_ranges = [(q.start, q.end) for q in quotes if q.level == 0]
    paragraphs = paragraph_spans(text)
    previous: Quote | None = None
    for quote in quotes:
        if quote.level > 0:
            continue
        p_start, p_end = paragraphs[quote.paragraph]
        close_at = quote.end + 1 if quote.closed else quote.end
        found = _transcript_turn(text, quote, p_start, resolver) \
            or (_attribute_by_syntax(doc, quote, quote_ranges, resolver) if doc is not None else None) \
            or _attribute_after(text, quote, close_at, p_end, resolver) or _attribute_before(text, quote, p_start, resolver) \
            or _attribute_by_dash(text, quote, close_at, p_end, resolver)
        if found:
            mention, cue, how = found
            _assign(quote, mention, cue, how)
        elif previous is not None and previous.attribution in ("transcript_turn", "continues_transcript_turn") \
                and _turn_label(text, quote, p_start) is not None:
            # A new turn whose label names nobody of the article (a host the text never names): not the
            # previous speaker's, nor anyone's the article names.
            quote.attribution = "transcript_turn_unnamed"
        elif previous is not None and previous.speaker and (_continues(text, previous, quote, paragraphs)
                                                            or _speaker_named_between(previous, quote, resolver)) \
                and not _someone_else_named_between(previous, quote, resolver):
            quote.speaker, quote.speaker_entity_id, quote.carried_from = previous.speaker, previous.speaker_entity_id, previous
            # A transcript turn runs on until the next label: its later paragraphs are the labelled speaker's.
            quote.cue, quote.attribution = previous.cue, "continues_transcript_turn" \
                if previous.attribution in ("transcript_turn", "continues_transcript_turn") else "continues_previous_quote"
        elif (earlier := _earlier_speaker_of_paragraph(quote, quotes, resolver)) is not None:
            quote.speaker, quote.speaker_entity_id, quote.carried_from = earlier.speaker, earlier.speaker_entity_id, earlier
            quote.cue, quote.attribution = earlier.cue, "same_paragraph_speaker"
        else:
            introduced = _introduced_before(text, quote, paragraphs, resolver)
            if introduced:
                _assign(quote, introduced[0], introduced[1], "named_in_previous_sentence")
            elif (beat := _after_sentence_about_someone(text, quote, p_start, resolver)) is not None:
                _assign(quote, beat, None, "subject_of_previous_sentence")
            elif (last := _last_speaker_of_previous_paragraph(text, quote, paragraphs, quotes, reported)) is not None:
                quote.speaker, quote.speaker_entity_id, quote.carried_from = last.speaker, last.speaker_entity_id, last
                quote.cue, quote.attribution = last.cue, "continues_previous_paragraph"
        previous = quote
    _give_unattributed_quotes_to_the_interviewee(text, quotes, paragraphs)
    for quote in quotes:
        if quote.level == 0 or quote.parent is None:
            continue
        outer = quotes[quote.parent]
        found = _attribute_nested(text, quote, outer, resolver)
        if found:
            _assign(quote, found[0], found[1], "inside_quote")


# "WALLACE: …" or "Holt: …" opening a quotation or its paragraph: a transcript or Q&A turn.
_TURN_LABEL = re.compile(r"\s*(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})\s*:\s+\S")


def _turn_label(text, quote, p_start):
    """The "WALLACE:" label that opens the quotation or its paragraph, if one does."""
    label = _TURN_LABEL.match(text, quote.start, quote.end)
    if label is None:
        before = text[p_start:max(p_start, quote.start - 1)]
        label = _TURN_LABEL.match(before + " x") if before.strip() else None
    return label


def _transcript_turn(text, quote, p_start, resolver):
    """A transcript turn names its speaker before a colon, at the start of the quotation or of its
    paragraph; the name is a person of the article, by their surname or full name."""
    label = _turn_label(text, quote, p_start)
    if label is None:
        return None
    words = label.group("who").casefold().split()
    for m in reversed(resolver.mentions):
        if m.entity_type == "PERSON" and m.start < quote.start:
            name = m.name.casefold().split()
            if words == name or (len(words) == 1 and name and words[0] == surname_of(m.name).casefold()):
                return m, None, "transcript_turn"
    return None


def _speaker_named_between(previous: Quote, quote: Quote, resolver: SpeakerResolver) -> bool:
    """"“…,” said James Acton, a physicist who directs the programme. “…”": in one paragraph, a
    quote right after the attribution of the one before, which names that speaker, is theirs too."""
    if quote.paragraph != previous.paragraph or previous.speaker_entity_id is None or quote.start - previous.end > 400:
        return False
    between = [m for m in resolver.mentions if previous.end <= m.start and m.end <= quote.start]
    people = {m.entity_id for m in between if m.entity_type == "PERSON"}
    return previous.speaker_entity_id in {m.entity_id for m in between} and people <= {previous.speaker_entity_id}


def _earlier_speaker_of_paragraph(quote: Quote, quotes: Sequence[Quote], resolver: SpeakerResolver) -> Quote | None:
    """A quote with no cue of its own, later in a paragraph whose last attributed quote is someone's,
    with nobody else named in between ("“…,” Warren said. “…” to drive up the price, she said,
    referencing the bank's “cross-sell” drive. “…”"): news style gives one paragraph to one voice."""
    earlier = [q for q in quotes if q.level == 0 and q.paragraph == quote.paragraph and q.end <= quote.start
               and q.speaker_entity_id and q.kind == "direct"]
    if not earlier:
        return None
    last = earlier[-1]
    return None if _someone_else_named_between(last, quote, resolver) else last


def _someone_else_named_between(previous: Quote, quote: Quote, resolver: SpeakerResolver) -> bool:
    """Whether a person other than ``previous``'s speaker is named, outside quote marks, between the
    two quotes of one paragraph: then the later quote may be theirs, and is not simply carried on.
    (Organisations are left out: "said Dana Whitlock, head of distribution at Orbit Films" hands on.)"""
    if quote.paragraph != previous.paragraph:
        return False
    # Names in the sentence that attributes the earlier quote ("Isaac told Fox News Latino during an
    # interview that also included Chastain.") hand nothing over; a new sentence about someone does.
    after_attribution = previous.end + len(first_sentence_of(resolver.text[previous.end:quote.start]))
    named = {m.entity_id for m in resolver.mentions if after_attribution <= m.start and m.end <= quote.start
             and m.entity_type == "PERSON" and not resolver.inside_quote(m.start)}
    return not named <= {previous.speaker_entity_id}


def _give_unattributed_quotes_to_the_interviewee(text: str, quotes: list[Quote], paragraphs) -> None:
    """In a profile or interview one person does nearly all the talking, and news style stops
    attributing each of their quotes ("How social was she?" then a quote-only paragraph). When
    one speaker has at least three quarters of an article's attributed quotes (and at least
    four), a full-sentence quote left without a speaker is theirs."""
    spoken = Counter(q.speaker_entity_id for q in quotes if q.level == 0 and q.speaker_entity_id)
    if not spoken:
        return
    (entity_id, count), total = spoken.most_common(1)[0], sum(spoken.values())
    if count < 4 or count < 0.75 * total:
        return
    speaker = next(q for q in quotes if q.speaker_entity_id == entity_id)
    for quote in quotes:
        if quote.level == 0 and quote.speaker is None and not quote.is_partial and quote.text.strip()[:1].isupper() \
                and quote.attribution != "transcript_turn_unnamed":
            quote.speaker, quote.speaker_entity_id = speaker.speaker, entity_id
            quote.attribution = "interviewee"


def _attribute_by_dash(text, quote, close_at, p_end, resolver):
    """"“…” ― Ana Ruiz": a name right after the closing mark and a dash signs the quote (roundups, epigraphs)."""
    dash = re.match(r"[ \t]*[―—–-][ \t]*", text[close_at:p_end])
    if dash is None:
        return None
    signed = resolver.mention_at(close_at + dash.end(), close_at + dash.end() + 1)
    if signed is None or signed.entity_type != "PERSON" or signed.start != close_at + dash.end():
        return None
    return signed, None, "signed_with_dash"


def _last_speaker_of_previous_paragraph(text, quote, paragraphs, quotes, reported):
    """A paragraph that is only a quotation continues whoever spoke last in the paragraph
    before, in quote marks or in reported speech ("…, Schiff said." then "“…”"): news style
    names the speaker once and lets the next paragraph of speech run on."""
    p_start, p_end = paragraphs[quote.paragraph]
    if quote.paragraph == 0 or text[p_start:quote.start - 1].strip() or len(text[quote.end:p_end].strip(" ”\"’'")) > 2:
        return None
    previous = quote.paragraph - 1
    spoken = [q for q in [*quotes, *reported] if q.paragraph == previous and q.level == 0 and q.speaker]
    return max(spoken, key=lambda q: q.end) if spoken else None


def _attribute_by_syntax(doc, quote: Quote, quote_ranges, resolver: SpeakerResolver):
    attribution = quote_attribution(doc, quote.start, quote.end, quote_ranges)
    if attribution is None or attribution.speaker is None:
        return None
    mention = speaker_of_phrase(attribution.speaker, resolver, quote.start)
    if mention is None:
        return None
    if attribution.cue == "according to":
        return mention, attribution.cue, "according_to"
    # How the parse named the speaker: a pronoun resolved to a person, a description, or a name.
    phrase = attribution.speaker
    how = "syntax_pronoun" if phrase.is_pronoun else "syntax_description" if phrase.text.split()[0].casefold() in (
        "the", "a", "an", "his", "her", "their", "its") else "syntax"
    return mention, attribution.cue, how


def reported_statements(text: str, doc, quotes: Sequence[Quote], mentions: Sequence[Mention],
                        marked: Sequence[tuple[int, int]] = (), resolver: SpeakerResolver | None = None) -> list[Quote]:
    """Reported speech ("Park said the studio would not move the date") as quotes of kind "indirect".

    ``marked`` are all spans between quote marks (speech, titles, scare quotes): a clause
    holding any of them is not reported speech.
    """
    resolver = resolver or SpeakerResolver(text, mentions, quotes)
    paragraphs = paragraph_spans(text)
    out: list[Quote] = []
    for found in reported_speech(doc, [(q.start, q.end) for q in quotes] + list(marked)):
        paragraph = next(i for i, (p_start, p_end) in enumerate(paragraphs) if found.start <= p_end)
        statement = Quote(found.start, found.end, text[found.start:found.end], paragraph, True, kind="indirect",
                          cue=found.attribution.cue, attribution="reported_speech")
        if found.attribution.speaker is not None:
            mention = speaker_of_phrase(found.attribution.speaker, resolver, found.start)
            if mention is not None:
                statement.speaker, statement.speaker_entity_id = mention.name, mention.entity_id
        out.append(statement)
    return out


def _assign(quote: Quote, mention: Mention | None, cue: str | None, how: str) -> None:
    if mention is None:
        quote.cue, quote.attribution = cue, how
        return
    quote.speaker, quote.speaker_entity_id, quote.cue, quote.attribution = mention.name, mention.entity_id, cue, how


def _attribute_after(text, quote, close_at, p_end, resolver):
    after_end = p_end
    nxt = re.search(r"[“\"«]", text[close_at:p_end])
    if nxt:
        after_end = close_at + nxt.start()
    after = text[close_at:min(after_end, close_at + 160)]
    # The attribution must follow the quote's own punctuation ("…," she said), not a new
    # sentence: after a full stop, only a lower-case "said X" / "she said" continues it.
    if quote.text.rstrip().endswith((".", "…")) and not re.match(r"^\s*[a-z]", after):
        return None
    for pattern, how in ((AFTER_ACCORDING, "according_to"), (AFTER_CUE_FIRST, "cue_after"), (AFTER_WHO_FIRST, "cue_after")):
        match = pattern.match(after)
        if not match:
            continue
        who = match.group("who")
        cue = match.groupdict().get("cue") or "according to"
        if how == "cue_after" and cue.casefold() == "according":
            continue
        described = who.split()[0].casefold() in ("the", "a", "an", "his", "her", "their", "its")
        employer = resolver.mention_at(close_at + match.start("who"), close_at + match.end("who"))
        employer = employer if employer is not None and employer.entity_type == "ORG" else None
        # "said the company's chief financial officer, Ruth Anand" and "said Halcyon distribution chief
        # Renata Solberg": the person named after the job speaks, not the company before it.
        named_after = None
        if described and how == "cue_after":
            named_after = re.match(r"(?:\s+[a-z][\w’'-]*){0,4}\s*,\s*", after[match.end("who"):])
        elif employer is not None and how == "cue_after" and match.re is AFTER_CUE_FIRST:
            named_after = re.match(r"(?:\s+[a-z][\w’'-]*){1,4}\s+(?=[A-Z])", after[match.end("who"):])
        if named_after:
            at = close_at + match.end("who") + named_after.end()
            appositive = resolver.mention_at(at, at + 1)
            if appositive is not None and appositive.entity_type == "PERSON":
                return appositive, cue.casefold(), how
        mention = resolver.resolve(who, close_at + match.start("who"), quote.start)
        if mention is None and who.casefold() not in ("he", "she", "they") and who.split()[0][:1].isupper() \
                and who.split()[0].casefold() not in ("the", "a", "an", "his", "her", "their", "its"):
            # A name NER did not mark: keep looking through the mentions by surname.
            mention = by_name(resolver, who)
        return mention, cue.casefold(), how
    return None


def _attribute_before(text, quote, p_start, resolver):
    open_at = quote.start - 1
    sentence_start = start_of_sentence(text, open_at, p_start)
    before = text[sentence_start:open_at]
    if not before.strip():
        return None
    # A full quote is introduced ("he said:", "saying,"); a partial one is woven into a
    # sentence whose own verb attributes it ("told the Ledger Review that he hoped …").
    if not quote.is_partial and not re.search(r"[,:]\s*$", before) and not re.search(rf"\b(?:{CUE_RE})\s*$", before):
        return None
    # "Said Colm Brady, head teacher at the school: “…”": the cue opens the sentence and the speaker follows it.
    inverted = re.match(r"\s*(?P<cue>Said|Says|Added|Wrote|Explained)\s+(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})", before)
    if inverted:
        mention = resolver.resolve(inverted.group("who"), sentence_start + inverted.start("who"), quote.start)
        if mention is not None:
            return mention, inverted.group("cue").casefold(), "cue_before"
    match = None
    for candidate in re.finditer(rf"\b(?P<cue>{CUE_RE})\b", before):
        match = candidate
    if match is None:
        statement = re.search(r"\bin\s+a\s+statement\b", before, re.IGNORECASE)
        if statement is None:
            if re.search(r":\s*$", before) and not quote.is_partial:
                # "Ibarra was gracious: “…”": a sentence about someone that hands over with a colon.
                subject = _sentence_subject(text, sentence_start, open_at, resolver)
                return (subject, None, "cue_before") if subject is not None else None
            return None
        cue_start, cue = sentence_start + statement.start(), "statement"
    else:
        cue_start, cue = sentence_start + match.start(), match.group("cue").casefold()
    # The speaker is the one just before the cue ("he said", "Hale said"), else the clause's subject.
    left = text[sentence_start:cue_start]
    near = who_before_cue(left)
    if near:
        mention = resolver.resolve(near.group("who"), sentence_start + near.start("who"), cue_start)
        if mention is not None:
            return mention, cue, "cue_before"
    subject = resolver.subject_before(cue_start, window_start=sentence_start)
    if subject is not None:
        return subject, cue, "cue_before"
    return None


def _continues(text: str, previous: Quote, quote: Quote, paragraphs) -> bool:
    """Same speaker: a paragraph continuing an unclosed quote, or the second half of a split quote."""
    if not previous.closed and quote.paragraph == previous.paragraph + 1:
        p_start, _ = paragraphs[quote.paragraph]
        return text[p_start:quote.start - 1].strip() == ""
    if quote.paragraph == previous.paragraph:
        between = text[previous.end + 1:quote.start - 1]
        return len(between) <= 120 and bool(re.search(rf"\b(?:{CUE_RE})\b", between))
    # A quote-only paragraph right after a paragraph that ends in the same speaker's quote.
    p_start, p_end = paragraphs[quote.paragraph]
    prev_start, prev_end = paragraphs[previous.paragraph]
    only_quote = text[p_start:quote.start - 1].strip() == "" and len(text[quote.end:p_end].strip(" ”\"’'")) <= 2
    return quote.paragraph == previous.paragraph + 1 and only_quote and len(text[previous.end:prev_end].strip()) < 80


def _introduced_before(text, quote, paragraphs, resolver):
    """A quote-only paragraph after a sentence that names who is about to speak."""
    p_start, p_end = paragraphs[quote.paragraph]
    if text[p_start:quote.start - 1].strip():
        return None
    if quote.paragraph == 0:
        return None
    prev_start, prev_end = paragraphs[quote.paragraph - 1]
    last_sentence_start = start_of_sentence(text, prev_end, prev_start)
    sentence = text[last_sentence_start:prev_end]
    cue = re.search(rf"\b(?P<cue>{CUE_RE}|recalled|remembered|reflected|explained)\b", sentence)
    if cue is None or not re.search(r"[:.]\s*$", sentence):
        return None
    cue_at = last_sentence_start + cue.start()
    left = text[last_sentence_start:cue_at]
    near = who_before_cue(left)
    mention = None
    if near:
        mention = resolver.resolve(near.group("who"), last_sentence_start + near.start("who"), cue_at)
    if mention is None:
        mention = _sentence_subject(text, last_sentence_start, cue_at, resolver) \
            or resolver.subject_before(cue_at, window_start=last_sentence_start)
    return (mention, cue.group("cue").casefold()) if mention else None


# A clause that opens a sentence before its subject: "Asked about the ending, the actress smiled."
_LEADING_CLAUSE = re.compile(
    r"^(?:[A-Z][a-z]+(?:ed|ing)|In|At|On|During|After|Before|When|While|Later|Earlier|Outside|Inside|Back|Since|As)\b[^,]{0,120},\s+")


def _after_sentence_about_someone(text, quote, p_start, resolver):
    """A quote that starts a sentence right after one about a person, in the same paragraph, is theirs:
    "Anand said the plants would close. “We have more capacity than we need.”" and
    "Asked about the theory, the actress smiled. “I can't tell you that.”"."""
    if quote.level > 0 or quote.is_partial:
        return None
    before = text[p_start:quote.start - 1]
    if not before.strip() or not re.search(r"[.!?][”\"’']?\s+$", before):
        return None
    sentence_start = start_of_sentence(text, quote.start - 2, p_start)
    sentence = text[sentence_start:quote.start - 1]
    if re.search(r"[“”\"]", sentence):
        return None  # the sentence before is itself a quote, or holds one: its speaker was settled there
    return _sentence_subject(text, sentence_start, quote.start - 1, resolver)


def _sentence_subject(text, sentence_start, end, resolver):
    """Who the sentence from ``sentence_start`` to ``end`` is about: its opening pronoun, its
    "the producer"-style job, or the first person it names near its start (after any leading
    "Asked about …," clause)."""
    sentence = text[sentence_start:end]
    lead = _LEADING_CLAUSE.match(sentence)
    rest_start = sentence_start + (lead.end() if lead else 0)
    rest = text[rest_start:end]
    opening = re.match(r"(?:(?P<pronoun>he|she|He|She)\b|(?P<described>(?:[Tt]he|[Aa]n?)\s+(?:[\w’'-]+\s+){0,2}?[\w’'-]+)\s+(?=[a-z]))", rest)
    if opening and opening.group("pronoun"):
        return resolver.resolve(opening.group("pronoun"), rest_start, rest_start)
    if opening and opening.group("described"):
        words = opening.group("described").split()
        if words[-1].casefold() in ROLE_NOUNS or re.fullmatch(r"\d+-year-old", words[-1]):
            return resolver.resolve(opening.group("described"), rest_start, rest_start)
        return None
    subject = resolver.subject_before(end, window_start=rest_start)
    if subject is not None and subject.start - rest_start <= 40:
        return subject
    return None


def _attribute_nested(text, quote, outer, resolver):
    before = text[outer.start:quote.start - 1]
    cue = re.search(rf"{WHO}\s+(?P<cue>{CUE_RE})\s*[,:]?\s*$", before)
    if cue is not None:
        mention = resolver.resolve(cue.group("who"), outer.start + cue.start("who"), quote.start, outer=outer)
        if mention is not None:
            return mention, cue.group("cue").casefold()
    # "Kenji calls me every month and says, ‘…’": the cue's subject opens the clause.
    bare = re.search(rf"\b(?P<cue>{CUE_RE})\s*[,:]?\s*$", before)
    if bare is None:
        return None
    cue_at = outer.start + bare.start("cue")
    clause_start = start_of_sentence(text, cue_at, outer.start)
    opening = re.match(r"\s*(?:And\s+|But\s+|So\s+|Then\s+)?(?P<who>I|We|He|She|he|she)\b", text[clause_start:cue_at])
    if opening:
        mention = resolver.resolve(opening.group("who"), clause_start + opening.start("who"), quote.start, outer=outer)
    else:
        people = [m for m in resolver.mentions if m.entity_type == "PERSON" and clause_start <= m.start < cue_at]
        mention = people[0] if people and people[0].start - clause_start <= 12 else None
    return (mention, bare.group("cue").casefold()) if mention else None
