"""Direct quotations and who said them.

Quote marks are paired by where they stand (an opening mark follows a space
or the start of a paragraph, a closing mark follows a word), so straight and
curly marks can be mixed and a quote can hold another. A paragraph that opens
a quote and never closes it continues into the next paragraph's opening
mark, as news style writes long quotes.

Speakers come from the attribution around the quote (after it: "…," said X /
X said; before it: X said: "…" / saying, "…"), from the quote it continues,
or from the sentence before a quote-only paragraph. Pronouns go to the last
person named as a subject; role nouns ("the producer") to the person
introduced with that role; a spokesperson or statement to its organisation.

That cascade proposes; the trained ranker of ``nlp.speaker_ranker`` decides,
reading the proposal as one feature among the parse and the page's.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .entities import is_title_case, surname_of
from .given_names import may_refer_to
from .paragraphs import is_navigation, paragraph_spans
from .attribution import quote_attribution, reported_speech
from .speaker_ranker import ArticlePage, ParseEvidence, QuoteView, cascade_shares, quote_features, speaker_model
from .lexicon import (
    NOT_A_TITLE,
    ORG_ROLE_NOUNS,
    PUBLIC_BODY_NOUNS,
    role_family,
    ROLE_NOUNS,
    SPEECH_VERBS,
    SPOKESPERSON_NOUNS,
)

OPEN_DOUBLE, CLOSE_DOUBLE, STRAIGHT_DOUBLE = "“", "”", '"'
OPEN_SINGLE, CLOSE_SINGLE, STRAIGHT_SINGLE = "‘", "’", "'"
# «guillemets» are paired too: wire copy from European desks uses them.
DOUBLE_MARKS = {"“", "”", '"', "«", "»"}
SINGLE_MARKS = {"‘", "’", "'"}

# Cues that attribute speech; "according to" is handled on its own.
CUE_WORDS = SPEECH_VERBS | {"writing", "wrote", "tweeted", "posted", "according", "read", "reads"}
# "directed by X" introduces X as the director, and so on.
_CREDIT_ROLES = {"directed": "director", "produced": "producer", "written": "writer", "created": "creator",
                 "starring": "star", "hosted": "host", "narrated": "narrator"}
PREPOSITIONS = frozenset("with for to by from of about at in on into over like than via".split())
PRONOUNS = {"he": "PERSON", "she": "PERSON", "they": None}
# First-person speech verbs inside a quote ("I said, ‘…’") report the quote's own speaker.
FIRST_PERSON = {"i", "we"}


@dataclass(frozen=True)
class Mention:
    """An entity mention of the article, as the entity stage resolved it."""

    start: int
    end: int
    text: str
    entity_type: str
    name: str
    entity_id: str
    method: str = "ner"


@dataclass
class Quote:
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


def quote_id_for(article_id: str, start: int, end: int, kind: str = "direct") -> str:
    key = f"{article_id}:{start}:{end}" + ("" if kind == "direct" else f":{kind}")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------ marks


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
    carried_open = False
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
        carried_open = bool(stack)
    del carried_open
    quotes.sort(key=lambda q: (q.start, -q.end))
    for i, quote in enumerate(quotes):
        for j in range(i - 1, -1, -1):
            outer = quotes[j]
            if outer.start <= quote.start and quote.end <= outer.end and outer is not quote and outer.level < quote.level:
                quote.parent = j
                break
    return quotes


# ------------------------------------------------------------ what is speech


def _trimmed(quote: Quote) -> str:
    return quote.text.strip().rstrip(",.;:!?…").strip()


def is_speech(quote: Quote, text: str) -> bool:
    """Not a title, not a scare quote, not a single word."""
    inner = _trimmed(quote)
    words = re.findall(r"[\w'’-]+", inner)
    if len(words) < 3:
        # "The boots," he said: a short quote is speech only when attributed right after it.
        after = text[quote.end + 1:quote.end + 40] if quote.closed else ""
        punctuated = quote.text.rstrip()[-1:] in (",", "!", "?")
        if bool(words) and punctuated and bool(_AFTER_WHO_FIRST.match(after) or _AFTER_CUE_FIRST.match(after)):
            return True
        # "…," she said. "Nothing changed.": the second half of a split quote, a sentence of its own.
        before = text[max(0, quote.start - 80):max(0, quote.start - 1)]
        sentence = inner[:1].isupper() and quote.text.rstrip()[-1:] in (".", "!", "?")
        return bool(words) and sentence and bool(re.search(rf"[”\"’'][^“”\"]*\b(?:{_CUE_RE})\b[^“”\".]*[.,]\s*$", before))
    if is_title_case(inner, max_words=10) and not re.search(r"[.!?,]", inner) and inner.casefold() not in NOT_A_TITLE:
        return False
    return True


def _attributed_fragment(doc, quote: Quote, ranges, mentions: Sequence[Mention]) -> bool:
    """A word or two in quote marks that a verb of saying governs in the parse, said by a named
    person or organisation (or "he", "she"), is speech too: Clinton says the tweets were
    “unhinged”; he called the plan “a con”. Not "critics called it “raw”" (nobody named), and
    title-case words stay titles ("the new song ‘Night Shift’")."""
    inner = _trimmed(quote)
    if not inner or is_title_case(inner, max_words=10):
        return False
    attribution = quote_attribution(doc, quote.start, quote.end, ranges, governing_only=True)
    if attribution is None or attribution.speaker is None:
        return False
    phrase = attribution.speaker
    return phrase.is_pronoun and phrase.text.casefold() in ("he", "she") or any(
        m.entity_type in ("PERSON", "ORG") and m.start < phrase.end and phrase.start < m.end for m in mentions)


def _is_partial(quote: Quote, text: str, paragraph_start: int) -> bool:
    """A fragment woven into the writer's sentence: the studio is "in no hurry"."""
    first = quote.text.lstrip()[:1]
    before = text[paragraph_start:quote.start - 1].rstrip()
    if not first or not first.islower():
        return False
    # After a cue and a comma or colon the quote is the whole utterance, even lower-cased.
    return not re.search(r"(?:[,:]|\bsaid|\bsays)\s*$", before)


# ------------------------------------------------------------- attribution


_CUE_RE = "|".join(sorted((re.escape(c) for c in CUE_WORDS), key=len, reverse=True))
_WHO = (
    r"(?P<who>(?:he|she|they|He|She|They|I|we|We)\b"
    r"|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+"
    r"|[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|da|del|la|le)){0,5})"
)
# "said Dana Whitlock", "said producer Owen Hale", "said the studio's longtime producer, Owen Hale"
_AFTER_CUE_FIRST = re.compile(rf"^[\s,—–-]*(?P<cue>{_CUE_RE})\s+(?:[a-z][\w’'-]*,?\s+){{0,3}}?{_WHO}")
# "…," federation president Orla Dunne told …; "…," Lumaflix chief content officer Diane Mercer said
_AFTER_WHO_FIRST = re.compile(rf"^[\s,—–-]*(?:[A-Z][\w’'.+-]*\s+(?=[a-z]))?(?:(?!(?:he|she|they|it|we|i|and|but|or|then|said|says|told)\b)[a-z][\w’'-]*\s+){{0,4}}?{_WHO}(?:,[^,]{{1,80}},)?\s+(?:\w+ly\s+|also\s+|later\s+|then\s+|has\s+|had\s+)?(?P<cue>{_CUE_RE})\b")
_AFTER_ACCORDING = re.compile(rf"^[\s,—–-]*according\s+to\s+{_WHO}")
_BEFORE_CUE = re.compile(
    rf"(?P<cue>{_CUE_RE})\b(?:\s+(?!{_CUE_RE}\b)[\w’'.-]+){{0,6}}?\s*[,:]?\s*$"
)


class _Resolver:
    """Turns the words that name a speaker into an entity of the article."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.roles = self._roles()

    def mention_at(self, start: int, end: int) -> Mention | None:
        for m in self.mentions:
            if m.start < end and start < m.end:
                return m
        return None

    def _roles(self) -> dict[str, list[Mention]]:
        """Role noun -> people introduced with it ("producer Jon Landau", "Landau, the producer")."""
        roles: dict[str, list[Mention]] = {}
        for m in self.mentions:
            if m.entity_type != "PERSON":
                continue
            before = re.findall(r"[\w-]+", self.text[max(0, m.start - 40):m.start])
            for word in before[-3:]:
                if word.casefold() in ROLE_NOUNS and self.text[m.start - 1:m.start] == " ":
                    roles.setdefault(word.casefold(), []).append(m)
            credit = re.search(r"\b(directed|produced|written|created|starring|hosted|narrated)\s+by\s+$|\bstarring\s+$",
                               self.text[max(0, m.start - 30):m.start])
            if credit:
                verb = credit.group(1) or "starring"
                roles.setdefault(_CREDIT_ROLES.get(verb, verb), []).append(m)
            after = self.text[m.end:m.end + 60]
            appositive = re.match(r",\s+(?:the|a|an|who is|its|their)\s+(?:[\w’'-]+\s+){0,3}?([\w-]+)\b", after)
            if appositive and appositive.group(1).casefold() in ROLE_NOUNS:
                roles.setdefault(appositive.group(1).casefold(), []).append(m)
        return roles

    def persons_before(self, position: int) -> list[Mention]:
        return [m for m in self.mentions if m.entity_type == "PERSON" and m.end <= position]

    def subject_before(self, position: int, window_start: int = 0, pronoun: str | None = None) -> Mention | None:
        """The subject of the nearest sentence before ``position`` that names a person.

        Sentence by sentence backwards, the first person named in a sentence is
        taken (news sentences open with their subject: "Accepting the prize,
        Castellano thanked director Lena Marsh" is about Castellano), skipping
        names after a preposition or as a possessive owner, and names inside quotes.
        """
        end = position
        for _ in range(8):
            if end <= window_start:
                return None
            start = _sentence_start(self.text, max(window_start, end - 1), window_start)
            for m in self.persons_before(end):
                if m.start < start:
                    continue
                before = re.findall(r"[\w’'-]+", self.text[max(0, m.start - 20):m.start])
                if before and (before[-1].casefold() in PREPOSITIONS or before[-1].casefold() == "own"):
                    continue
                if self.text[m.end:m.end + 3].startswith(("’s", "'s")) or self._inside_quote(m.start):
                    continue
                if pronoun is not None and not may_refer_to(pronoun, m.name):
                    continue  # "she" is not the man named last
                return m
            if start <= window_start:
                return None
            end = start
        return None

    def _spokesperson_org(self, start: int, end: int) -> Mention | None:
        """The organisation of "a Streamline spokesperson" or "a spokesperson for Streamline"."""
        for m in reversed(self.mentions):
            if m.entity_type == "ORG" and m.end <= start and start - m.end <= 2:
                return m
        after = re.match(r"\s+(?:for|at)\s+(?:the\s+)?", self.text[end:end + 14])
        if after:
            return self.mention_at(end + after.end(), end + after.end() + 2) if (
                (m := self.mention_at(end + after.end(), end + after.end() + 2)) and m.entity_type == "ORG") else None
        return None

    def _inside_quote(self, position: int) -> bool:
        return any(q.start <= position < q.end for q in getattr(self, "quotes", ()))

    def resolve(self, who: str, who_start: int, before_position: int, outer: "Quote | None" = None) -> Mention | None:
        # A name never runs past a full stop, and "And I say" is "I" speaking.
        who_start += len(who) - len(who.lstrip())
        who_clean = _first_sentence_of(who.strip())
        conjunction = re.match(r"(?:And|But|So|Then|Or)\s+(?=\S)", who_clean)
        if conjunction:
            who_clean, who_start = who_clean[conjunction.end():], who_start + conjunction.end()
        lowered = who_clean.casefold()
        if lowered in FIRST_PERSON:
            if outer is not None and outer.speaker_entity_id:
                return Mention(outer.start, outer.start, who_clean, "PERSON", outer.speaker, outer.speaker_entity_id)
            return None
        if lowered in PRONOUNS:
            if outer is not None:
                # Inside a quote, "he said" points at the last person the speaker named.
                inside = [m for m in self.persons_before(before_position) if m.start >= outer.start
                          and may_refer_to(lowered, m.name)]
                if inside:
                    return inside[-1]
            # A pronoun subject points back past its own sentence: "In an interview with
            # Collider's own Perri Nemiroff, he said" is not Nemiroff speaking.
            sentence_start = _sentence_start(self.text, who_start, 0)
            if lowered == "they":
                # "they" is a group more often than one person ("Officials … ‘…,’ they said"): only a
                # sentence right before that opens with a person's name gives it a speaker.
                previous = _sentence_start(self.text, max(0, sentence_start - 2), 0)
                subject = self.subject_before(sentence_start, window_start=previous)
                opens = subject is not None and not self.text[previous:subject.start].strip(" \n“”\"‘’'")
                return subject if opens else None
            return self.subject_before(sentence_start, pronoun=lowered)
        words = re.findall(r"[\w’'-]+", who_clean)
        if words and words[0].casefold() in {"the", "a", "an", "his", "her", "their", "its"}:
            # "a Streamline spokesperson", "a spokesperson for Streamline"
            if any(w.casefold() in SPOKESPERSON_NOUNS for w in words[1:-1]) or (
                    words[-1].casefold() in SPOKESPERSON_NOUNS and len(words) > 2):
                org = self.mention_at(who_start, who_start + len(who_clean))
                if org is not None and org.entity_type == "ORG":
                    return org
                end = who_start + len(who_clean)
                return self._spokesperson_org(end, end)
            role = words[-1].casefold()
            if role in SPOKESPERSON_NOUNS:
                # "the spokesperson said" after "A Brightwater spokesperson added …": the same organisation;
                # "the statement read" after "The union said in a statement …": the one that issued it.
                for match in reversed(list(re.finditer(rf"\b{re.escape(words[-1])}\b", self.text[:who_start]))):
                    org = self._spokesperson_org(match.start(), match.end())
                    if org is None and role == "statement":
                        opening = _sentence_start(self.text, match.start(), 0)
                        org = next((m for m in self.mentions if m.entity_type == "ORG" and opening <= m.start < match.start()
                                    and not self.text[opening:m.start].strip(" “\"‘'").casefold().removeprefix("the").strip()), None)
                    if org is not None:
                        return org
                return None
            if role in ROLE_NOUNS:
                family = role_family(role)
                introduced = [m for r, ms in self.roles.items() if role_family(r) == family for m in ms
                              if may_refer_to(role, m.name)]
                people = sorted([m for m in introduced if m.start < before_position] or introduced, key=lambda m: m.start)
                names = {m.name for m in people}
                if len(names) == 1:
                    return people[-1]
                if people:
                    return max((m for m in people if m.start < before_position), key=lambda m: m.start, default=None)
                # Nobody was introduced with this role: news style then means the person the
                # previous sentence is about ("Aaltonen laughed. '…,' the director said"),
                # unless that person was introduced with another kind of role.
                subject = self.subject_before(_sentence_start(self.text, who_start, 0), pronoun=role)
                if subject is not None and not any(subject.name in {m.name for m in ms}
                                                   for r, ms in self.roles.items() if role_family(r) != family):
                    return subject
                return None
            if role in ORG_ROLE_NOUNS or role in PUBLIC_BODY_NOUNS:
                orgs = [m for m in self.mentions if m.entity_type == "ORG" and m.end <= before_position
                        and m.method not in ("outlet_cue",)]
                # "the ministry said" after "the Ministry of Health": the body whose name holds the noun.
                named = [m for m in orgs if re.search(rf"\b{re.escape(role)}\b", m.name, re.IGNORECASE)]
                if named:
                    return named[-1]
                return orgs[-1] if orgs and role in ORG_ROLE_NOUNS else None
            if re.fullmatch(r"\d+-year-old", role):
                # "the 23-year-old said": the person the sentence before is about.
                return self.subject_before(_sentence_start(self.text, who_start, 0))
            return None
        # "Labour Minister Keiko Tanaka": the person at the head of the phrase speaks, not the party before.
        inside = [m for m in self.mentions if m.start < who_start + len(who_clean) and who_start < m.end
                  and m.entity_type in ("PERSON", "ORG")]
        people = [m for m in inside if m.entity_type == "PERSON"]
        return (people or inside or [None])[-1]


_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr prof gen sen rep gov lt col capt mt ft no vs inc corp co ltd".split())


def _first_sentence_of(phrase: str) -> str:
    """"producer Owen Hale. Director Ama Boateng" -> "producer Owen Hale": a name never runs past a full stop
    (an abbreviation's or an initial's full stop is not one: "Mr. Whitby", "J. J. Abrams")."""
    for match in re.finditer(r"([A-Za-z]+)\.\s+", phrase):
        if len(match.group(1)) > 1 and match.group(1).casefold() not in _ABBREVIATIONS:
            return phrase[:match.start() + len(match.group(1))]
    return phrase


def _sentence_start(text: str, position: int, floor: int) -> int:
    """Start of the sentence that holds ``position`` (not before ``floor``)."""
    cut = floor
    # One character past ``position`` so the look-ahead can see the capital that starts a sentence there.
    for match in re.finditer(r"[.!?…][”\"’']?\s+(?=[A-Z“\"‘])", text[floor:position + 1]):
        if floor + match.end() <= position:
            cut = floor + match.end()
    return cut


def _resolver_for(text: str, quotes: Sequence[Quote], mentions: Sequence[Mention]) -> "_Resolver":
    resolver = _Resolver(text, mentions)
    resolver.quotes = [q for q in quotes if q.level == 0]
    return resolver


def attribute(text: str, quotes: list[Quote], mentions: Sequence[Mention], doc=None,
              reported: Sequence[Quote] = (), resolver: "_Resolver | None" = None) -> None:
    """Fill speaker, entity and cue of each speech quote, in reading order.

    With a parsed ``doc`` the cue and its subject come from the dependency
    parse first; the patterns around the quote marks remain for what the
    parse does not settle.
    """
    resolver = resolver or _resolver_for(text, quotes, mentions)
    quote_ranges = [(q.start, q.end) for q in quotes if q.level == 0]
    paragraphs = paragraph_spans(text)
    previous: Quote | None = None
    for quote in quotes:
        if quote.level > 0:
            continue
        p_start, p_end = paragraphs[quote.paragraph]
        close_at = quote.end + 1 if quote.closed else quote.end
        found = (_attribute_by_syntax(doc, quote, quote_ranges, resolver) if doc is not None else None) \
            or _attribute_after(text, quote, close_at, p_end, resolver) or _attribute_before(text, quote, p_start, resolver) \
            or _attribute_by_dash(text, quote, close_at, p_end, resolver)
        if found:
            mention, cue, how = found
            _assign(quote, mention, cue, how)
        elif previous is not None and previous.speaker and (_continues(text, previous, quote, paragraphs)
                                                            or _speaker_named_between(previous, quote, resolver)) \
                and not _someone_else_named_between(previous, quote, resolver):
            quote.speaker, quote.speaker_entity_id = previous.speaker, previous.speaker_entity_id
            quote.cue, quote.attribution = previous.cue, "continues_previous_quote"
        elif (earlier := _earlier_speaker_of_paragraph(quote, quotes, resolver)) is not None:
            quote.speaker, quote.speaker_entity_id = earlier.speaker, earlier.speaker_entity_id
            quote.cue, quote.attribution = earlier.cue, "same_paragraph_speaker"
        else:
            introduced = _introduced_before(text, quote, paragraphs, resolver)
            if introduced:
                _assign(quote, introduced[0], introduced[1], "named_in_previous_sentence")
            elif (beat := _after_sentence_about_someone(text, quote, p_start, resolver)) is not None:
                _assign(quote, beat, None, "subject_of_previous_sentence")
            elif (last := _last_speaker_of_previous_paragraph(text, quote, paragraphs, quotes, reported)) is not None:
                quote.speaker, quote.speaker_entity_id = last.speaker, last.speaker_entity_id
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


def _speaker_named_between(previous: Quote, quote: Quote, resolver: _Resolver) -> bool:
    """"“…,” said James Acton, a physicist who directs the programme. “…”": in one paragraph, a
    quote right after the attribution of the one before, which names that speaker, is theirs too."""
    if quote.paragraph != previous.paragraph or previous.speaker_entity_id is None or quote.start - previous.end > 400:
        return False
    between = [m for m in resolver.mentions if previous.end <= m.start and m.end <= quote.start]
    people = {m.entity_id for m in between if m.entity_type == "PERSON"}
    return previous.speaker_entity_id in {m.entity_id for m in between} and people <= {previous.speaker_entity_id}


def _earlier_speaker_of_paragraph(quote: Quote, quotes: Sequence[Quote], resolver: _Resolver) -> Quote | None:
    """A quote with no cue of its own, later in a paragraph whose last attributed quote is someone's,
    with nobody else named in between ("“…,” Warren said. “…” to drive up the price, she said,
    referencing the bank's “cross-sell” drive. “…”"): news style gives one paragraph to one voice."""
    earlier = [q for q in quotes if q.level == 0 and q.paragraph == quote.paragraph and q.end <= quote.start
               and q.speaker_entity_id and q.kind == "direct"]
    if not earlier:
        return None
    last = earlier[-1]
    return None if _someone_else_named_between(last, quote, resolver) else last


def _someone_else_named_between(previous: Quote, quote: Quote, resolver: _Resolver) -> bool:
    """Whether a person other than ``previous``'s speaker is named, outside quote marks, between the
    two quotes of one paragraph: then the later quote may be theirs, and is not simply carried on.
    (Organisations are left out: "said Dana Whitlock, head of distribution at Orbit Films" hands on.)"""
    if quote.paragraph != previous.paragraph:
        return False
    # Names in the sentence that attributes the earlier quote ("Isaac told Fox News Latino during an
    # interview that also included Chastain.") hand nothing over; a new sentence about someone does.
    after_attribution = previous.end + len(_first_sentence_of(resolver.text[previous.end:quote.start]))
    named = {m.entity_id for m in resolver.mentions if after_attribution <= m.start and m.end <= quote.start
             and m.entity_type == "PERSON" and not resolver._inside_quote(m.start)}
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
        if quote.level == 0 and quote.speaker is None and not quote.is_partial and quote.text.strip()[:1].isupper():
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


def _speaker_of_phrase(phrase, resolver: _Resolver, before_position: int) -> Mention | None:
    """The entity a speaker phrase from the parse names: a name, a pronoun, "the director"."""
    mention = resolver.resolve(phrase.text, phrase.start, before_position)
    if mention is None and not phrase.is_pronoun and phrase.text[:1].isupper() \
            and phrase.text.split()[0].casefold() not in ("the", "a", "an", "his", "her", "their", "its"):
        mention = _by_name(resolver, phrase.text)
    if mention is None and not phrase.is_pronoun:
        # "the IMF report said", "according to a New York Times poll": the organisation or
        # person named inside the phrase is who speaks through it.
        inside = [m for m in resolver.mentions if phrase.start <= m.start and m.end <= phrase.end
                  and m.entity_type in ("ORG", "PERSON")]
        # "according to a new report by Politico": else the one its modifiers name.
        modifiers = [m for m in resolver.mentions if phrase.end <= m.start and m.end <= phrase.extent_end
                     and m.entity_type in ("ORG", "PERSON")]
        mention = inside[-1] if inside else modifiers[0] if modifiers and phrase.text.split()[0].casefold() in (
            "a", "an", "the") else None
    return mention


def _attribute_by_syntax(doc, quote: Quote, quote_ranges, resolver: _Resolver):
    attribution = quote_attribution(doc, quote.start, quote.end, quote_ranges)
    if attribution is None or attribution.speaker is None:
        return None
    mention = _speaker_of_phrase(attribution.speaker, resolver, quote.start)
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
                        marked: Sequence[tuple[int, int]] = (), resolver: "_Resolver | None" = None) -> list[Quote]:
    """Reported speech ("Park said the studio would not move the date") as quotes of kind "indirect".

    ``marked`` are all spans between quote marks (speech, titles, scare quotes): a clause
    holding any of them is not reported speech.
    """
    resolver = resolver or _resolver_for(text, quotes, mentions)
    paragraphs = paragraph_spans(text)
    out: list[Quote] = []
    for found in reported_speech(doc, [(q.start, q.end) for q in quotes] + list(marked)):
        paragraph = next(i for i, (p_start, p_end) in enumerate(paragraphs) if found.start <= p_end)
        statement = Quote(found.start, found.end, text[found.start:found.end], paragraph, True, kind="indirect",
                          cue=found.attribution.cue, attribution="reported_speech")
        if found.attribution.speaker is not None:
            mention = _speaker_of_phrase(found.attribution.speaker, resolver, found.start)
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
    for pattern, how in ((_AFTER_ACCORDING, "according_to"), (_AFTER_CUE_FIRST, "cue_after"), (_AFTER_WHO_FIRST, "cue_after")):
        match = pattern.match(after)
        if not match:
            continue
        who = match.group("who")
        cue = match.groupdict().get("cue") or "according to"
        if how == "cue_after" and cue.casefold() == "according":
            continue
        if who.split()[0] in ("The", "A", "An") and quote.text.rstrip()[-1:] not in ",!?" and how != "according_to":
            pass
        described = who.split()[0].casefold() in ("the", "a", "an", "his", "her", "their", "its")
        employer = resolver.mention_at(close_at + match.start("who"), close_at + match.end("who"))
        employer = employer if employer is not None and employer.entity_type == "ORG" else None
        # "said the company's chief financial officer, Ruth Anand" and "said Halcyon distribution chief
        # Renata Solberg": the person named after the job speaks, not the company before it.
        named_after = None
        if described and how == "cue_after":
            named_after = re.match(r"(?:\s+[a-z][\w’'-]*){0,4}\s*,\s*", after[match.end("who"):])
        elif employer is not None and how == "cue_after" and match.re is _AFTER_CUE_FIRST:
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
            mention = _by_name(resolver, who)
        return mention, cue.casefold(), how
    return None


def _by_name(resolver: _Resolver, who: str) -> Mention | None:
    last = surname_of(who.rstrip(",.")).rstrip(",.").casefold()
    for m in reversed(resolver.mentions):
        if m.entity_type == "PERSON" and surname_of(m.name).casefold() == last:
            return m
    return None


def _attribute_before(text, quote, p_start, resolver):
    open_at = quote.start - 1
    sentence_start = _sentence_start(text, open_at, p_start)
    before = text[sentence_start:open_at]
    if not before.strip():
        return None
    # A full quote is introduced ("he said:", "saying,"); a partial one is woven into a
    # sentence whose own verb attributes it ("told the Ledger Review that he hoped …").
    if not quote.is_partial and not re.search(r"[,:]\s*$", before) and not re.search(rf"\b(?:{_CUE_RE})\s*$", before):
        return None
    # "Said Colm Brady, head teacher at the school: “…”": the cue opens the sentence and the speaker follows it.
    inverted = re.match(rf"\s*(?P<cue>Said|Says|Added|Wrote|Explained)\s+(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})", before)
    if inverted:
        mention = resolver.resolve(inverted.group("who"), sentence_start + inverted.start("who"), quote.start)
        if mention is not None:
            return mention, inverted.group("cue").casefold(), "cue_before"
    match = None
    for candidate in re.finditer(rf"\b(?P<cue>{_CUE_RE})\b", before):
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
    near = _who_before_cue(left)
    if near:
        mention = resolver.resolve(near.group("who"), sentence_start + near.start("who"), cue_start)
        if mention is not None:
            return mention, cue, "cue_before"
    subject = resolver.subject_before(cue_start, window_start=sentence_start)
    if subject is not None:
        return subject, cue, "cue_before"
    return None


_PRONOUN_BEFORE_CUE = re.compile(r"\b(?P<who>he|she|they|He|She|They)\s+(?:\w+ly\s+|also\s+|then\s+)?$")
_WHO_BEFORE_CUE = re.compile(rf"{_WHO}\s*(?:,[^,]{{1,80}},)?\s*(?:\w+ly\s+|also\s+|then\s+)?$")


def _who_before_cue(left: str):
    """The words naming the speaker right before a cue: a pronoun there wins ("Her voice broke as she added")."""
    return _PRONOUN_BEFORE_CUE.search(left) or _WHO_BEFORE_CUE.search(left)


def _continues(text: str, previous: Quote, quote: Quote, paragraphs) -> bool:
    """Same speaker: a paragraph continuing an unclosed quote, or the second half of a split quote."""
    if not previous.closed and quote.paragraph == previous.paragraph + 1:
        p_start, _ = paragraphs[quote.paragraph]
        return text[p_start:quote.start - 1].strip() == ""
    if quote.paragraph == previous.paragraph:
        between = text[previous.end + 1:quote.start - 1]
        return len(between) <= 120 and bool(re.search(rf"\b(?:{_CUE_RE})\b", between))
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
    last_sentence_start = _sentence_start(text, prev_end, prev_start)
    sentence = text[last_sentence_start:prev_end]
    cue = re.search(rf"\b(?P<cue>{_CUE_RE}|recalled|remembered|reflected|explained)\b", sentence)
    if cue is None or not re.search(r"[:.]\s*$", sentence):
        return None
    cue_at = last_sentence_start + cue.start()
    left = text[last_sentence_start:cue_at]
    near = _who_before_cue(left)
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
    sentence_start = _sentence_start(text, quote.start - 2, p_start)
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
    cue = re.search(rf"{_WHO}\s+(?P<cue>{_CUE_RE})\s*[,:]?\s*$", before)
    if cue is not None:
        mention = resolver.resolve(cue.group("who"), outer.start + cue.start("who"), quote.start, outer=outer)
        if mention is not None:
            return mention, cue.group("cue").casefold()
    # "Kenji calls me every month and says, ‘…’": the cue's subject opens the clause.
    bare = re.search(rf"\b(?P<cue>{_CUE_RE})\s*[,:]?\s*$", before)
    if bare is None:
        return None
    cue_at = outer.start + bare.start("cue")
    clause_start = _sentence_start(text, cue_at, outer.start)
    opening = re.match(r"\s*(?:And\s+|But\s+|So\s+|Then\s+)?(?P<who>I|We|He|She|he|she)\b", text[clause_start:cue_at])
    if opening:
        mention = resolver.resolve(opening.group("who"), clause_start + opening.start("who"), quote.start, outer=outer)
    else:
        people = [m for m in resolver.mentions if m.entity_type == "PERSON" and clause_start <= m.start < cue_at]
        mention = people[0] if people and people[0].start - clause_start <= 12 else None
    return (mention, bare.group("cue").casefold()) if mention else None


# ------------------------------------------------------------------ titles


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


def extract_quotes(text: str, mentions: Sequence[Mention], doc=None, headline: str | None = None,
                   rank_speakers: bool = True) -> list[Quote]:
    """The speech quotes of an article with their speakers; titles and scare quotes left out.

    With the article's parsed ``doc`` (spaCy, parser on), speakers come from
    the parse and reported speech is added as quotes of kind "indirect"; the
    speaker of each direct quote is then decided by the trained ranker
    (``nlp.speaker_ranker``), which reads the rule cascade's choice as a
    feature. ``rank_speakers=False`` keeps the cascade's choice (training reads it).
    """
    marked = _two_apostrophes_as_marks(text)
    working = _swap_mark_levels(marked) if single_marks_are_primary(marked) else marked
    # With the levels traded the offsets are unchanged, so the quotes point into ``text``.
    quotes = _extract_quotes(working, mentions, doc)
    if rank_speakers and doc is not None and (model := speaker_model()) is not None:
        for quote, candidates, rows in speaker_feature_rows(working, quotes, mentions, doc, headline):
            _assign_ranked(quote, candidates, model.choose(rows))
    for quote in quotes:
        quote.text = text[quote.start:quote.end]
    return quotes


def speaker_feature_rows(text: str, quotes: Sequence[Quote], mentions: Sequence[Mention], doc,
                         headline: str | None = None):
    """For each quote in the narrative, direct and reported: the quote, its candidates and their feature rows."""
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


def _extract_quotes(text: str, mentions: Sequence[Mention], doc=None) -> list[Quote]:
    spans = find_quote_spans(text)
    paragraphs = paragraph_spans(text)
    kept: list[Quote] = []
    ranges = [(q.start, q.end) for q in spans if q.level == 0]
    navigation = {i for i, (start, end) in enumerate(paragraphs) if is_navigation(text[start:end])}
    for quote in spans:
        if quote.paragraph in navigation:
            continue  # "« Previous | Next »" marks no quotation
        if is_speech(quote, text) or (doc is not None and quote.level == 0 and _attributed_fragment(doc, quote, ranges, mentions)):
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
        quote.is_partial = quote.level == 0 and _is_partial(quote, text, paragraphs[quote.paragraph][0])
    # Reported speech first: a quotation paragraph after "…, Schiff said." continues its speaker.
    resolver = _resolver_for(text, kept, mentions)  # one per article: its role index is built once
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
