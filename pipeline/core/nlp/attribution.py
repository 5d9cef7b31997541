"""Who said it, read from the dependency parse: one code path for direct and reported speech.

A cue is a verb whose lemma is in ``speech_cues.yml``. For a quotation, the
cue is the verb of saying that governs it in the parse (the quotation is its
clausal complement or object: "“…,” she said", "Clinton says Trump “…”"),
else the nearest verb of saying in the sentences the quotation touches. The
speaker is the cue's subject ("said Dana Whitlock" and "Dana Whitlock said"
parse alike), or the object of "according to". A subject that is a common
noun with a name in apposition ("the studio's chief, Ruth Anand") is the name.

Reported speech is the clausal complement of a verb of saying outside quote
marks ("Park said the studio would not move the date"), or the clause that
"according to X" is attached to.

Nothing here turns a phrase into an entity: the quote stage resolves the
speaker phrase (a name, a pronoun, "the director") within the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from .pipeline import speech_cues

# Dependents that belong to a noun phrase naming someone, left of its head.
_NAME_PARTS = frozenset({"det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "case", "punct", "npadvmod"})
# A verb of saying that hangs off another one shares its subject: "she said, adding …", "he laughed and said".
_SHARES_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
# Cue verbs, by the tagger's coarse tag (compared as symbol ids: this runs on every token of every article).
_VERB_TAGS = frozenset({VERB, AUX})
_EDGE_PUNCT = " \n\t,;:.—–-\"'“”‘’«»()"


@dataclass(frozen=True)
class SpeakerPhrase:
    """The words that name who speaks, as they stand in the text."""

    start: int
    end: int
    text: str
    is_pronoun: bool
    # Where the whole phrase ends, modifiers included ("a new report by Politico"): who speaks
    # through a document or a poll is named there.
    extent_end: int = 0


@dataclass(frozen=True)
class Attribution:
    cue: str  # the cue as written, lower-cased ("said", "according to")
    cue_start: int
    speaker: SpeakerPhrase | None


@dataclass(frozen=True)
class ReportedSpeech:
    start: int  # of the reported content
    end: int
    attribution: Attribution


def _inside(position: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def _is_cue(token: Token, lexicon: str) -> bool:
    return token.pos in _VERB_TAGS and token.lemma_.casefold() in speech_cues()[lexicon] and not _hyphenated(token)


def _hyphenated(token: Token) -> bool:
    """The last part of a hyphenated verb ("co-wrote", "re-told"): spaCy splits it, but the word is
    "co-write", whose lemma is not the cue's ("who co-wrote the original" reports nothing)."""
    doc = token.doc
    if token.i < 2:
        return False
    hyphen, first = doc[token.i - 1], doc[token.i - 2]
    return hyphen.text in ("-", "‐") and hyphen.idx + len(hyphen) == token.idx and first.idx + len(first) == hyphen.idx


# Dependents that give a clause a subject of its own.
_CLAUSE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})


def _is_reported_clause(clause: Token) -> bool:
    """A clause that reports what was said has a subject of its own ("said the film would open"), or
    opens with "that" (the parser may hang its subject elsewhere);
    a complement without one is the parser joining two clauses of narration ("wrote the original,
    has been developing a story"), not speech."""
    return any(child.dep_ in _CLAUSE_SUBJECTS or (child.dep_ == "mark" and child.lower_ == "that")
               for child in clause.children)


def subject_of(cue: Token) -> Token | None:
    """The subject of a verb of saying, climbing once to the verb it hangs off when it has none."""
    for verb in (cue, cue.head if cue.dep_ in _SHARES_SUBJECT and cue.head is not cue else None):
        if verb is None:
            break
        subjects = [child for child in verb.children
                    if child.dep_ in ("nsubj", "nsubjpass") and not (child.dep_ == "nsubjpass" and verb is cue)]
        if subjects:
            # The parser may take a fragment of the quotation for a second subject ("“…. One of the brightest
            # members,” Rep. Cummings said"): the speaker is the one beside the verb.
            return min(subjects, key=lambda child: abs(child.i - verb.i))
    return None


def name_phrase(head: Token) -> SpeakerPhrase:
    """The phrase a subject token heads, up to the token itself ("the studio's longtime producer").

    A common noun with a proper name in apposition names the person by the name.
    """
    if head.pos_ == "NOUN":
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                head = child
                break
    doc = head.doc
    start = head
    for child in head.lefts:
        if child.dep_ in _NAME_PARTS:
            start = min(start, child.left_edge, key=lambda t: t.i)
    end = head
    # "Dana Whitlock Jr." and "Hillary Rodham Clinton": a proper name may run on to the right.
    while end.i + 1 < len(doc) and doc[end.i + 1].head is head and doc[end.i + 1].dep_ in ("flat", "compound") \
            and doc[end.i + 1].pos_ == "PROPN":
        end = doc[end.i + 1]
    span = doc[start.i:end.i + 1]
    text = span.text
    offset = len(text) - len(text.lstrip(_EDGE_PUNCT))
    text = text.strip(_EDGE_PUNCT)
    extent = head.right_edge
    return SpeakerPhrase(span.start_char + offset, span.start_char + offset + len(text), text, head.pos_ == "PRON",
                         max(extent.idx + len(extent), span.end_char))


def _owner_of_saying(noun: Token) -> Token | None:
    """The owner of a noun of saying ("Trump's claim that “…”", "her statement"), if it has one."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.casefold() not in speech_cues()["nouns"]:
        return None
    return next((child for child in noun.children if child.dep_ == "poss"), None)


def _attribution(cue: Token) -> Attribution:
    if cue.lemma_.casefold() in speech_cues()["according"]:
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return Attribution("according to", cue.idx, name_phrase(target) if target is not None else None)
    subject = subject_of(cue)
    return Attribution(cue.lower_, cue.idx, name_phrase(subject) if subject is not None else None)


def _names_someone(subject: Token | None) -> bool:
    """Whether a subject names a speaker: a pronoun, or a phrase with a proper name in it."""
    return subject is not None and (subject.pos_ == "PRON" or any(t.pos_ == "PROPN" for t in subject.subtree))


def _reporter_above(cue: Token) -> Token | None:
    """"Brad Holm said in the letter that the advertisement “wrongfully” suggests …": a verb of saying whose
    subject is a thing, inside what a person is reported to have said, speaks for that person. The verb of
    saying above it, when the cue's own subject names nobody and the one above has a subject that does."""
    if cue.lemma_.casefold() in speech_cues()["according"] or _names_someone(subject_of(cue)):
        return None
    for ancestor in cue.ancestors:
        if _is_cue(ancestor, "reported") and _names_someone(subject_of(ancestor)):
            return ancestor
    return None


def _is_according(token: Token) -> bool:
    """"according" with its "to": the prepositional cue."""
    return token.lemma_.casefold() in speech_cues()["according"] and any(c.lower_ == "to" for c in token.children)


def quote_attribution(doc: Doc, start: int, end: int, quote_ranges: Sequence[tuple[int, int]],
                      governing_only: bool = False) -> Attribution | None:
    """The cue and speaker phrase of the quotation at ``[start, end)`` (marks excluded), if the parse gives one.

    ``quote_ranges`` are all quotations of the article: a cue inside a quotation
    attributes nothing outside it. With ``governing_only`` only a verb of saying
    that governs the quotation in the parse counts, not one merely nearby.
    """
    outside = [r for r in quote_ranges if not (r[0] <= start and end <= r[1])]
    # The quote's tokens, by slicing (not a scan of the whole article for each quote).
    span = doc.char_span(start, end, alignment_mode="expand")
    inner = [t for t in span if start <= t.idx < end] if span is not None else []
    if not inner:
        return None
    # The verb of saying that governs the quotation.
    for token in inner:
        if start <= token.head.idx < end:
            continue
        for ancestor in token.ancestors:
            if start <= ancestor.idx < end or _inside(ancestor.idx, outside):
                break
            if _is_cue(ancestor, "direct") or ancestor.lemma_.casefold() in speech_cues()["according"]:
                return _attribution(_reporter_above(ancestor) or ancestor)
            owner = _owner_of_saying(ancestor)
            if owner is not None:
                return Attribution(ancestor.lower_, ancestor.idx, name_phrase(owner))
    if governing_only:
        return None
    # Else the nearest verb of saying, outside quotations, in the sentences the quotation touches.
    first, last = inner[0], inner[-1]
    sentences = {first.sent.start: first.sent, last.sent.start: last.sent}
    if first.i > 0:
        sentences[doc[first.i - 1].sent.start] = doc[first.i - 1].sent
    if last.i + 1 < len(doc):
        sentences[doc[last.i + 1].sent.start] = doc[last.i + 1].sent
    # The lexicon test first: it rules out nearly every token before the scan of the quotations.
    candidates = [t for sentence in sentences.values() for t in sentence
                  if (_is_cue(t, "direct") or _is_according(t))
                  and not (start - 1 <= t.idx < end + 1) and not _inside(t.idx, outside)]
    if not candidates:
        candidates = _cue_opening_next_sentence(doc, last, end, outside)
    if not candidates:
        return None
    nearest = min(candidates, key=lambda t: (start - t.idx) if t.idx < start else (t.idx - end))
    return _attribution(nearest)


def _cue_opening_next_sentence(doc: Doc, last: Token, end: int, outside) -> list[Token]:
    """"“Why is this not proof?” Vitter demanded.": the parser ends a sentence at the question or exclamation
    mark inside the quotation, so the attribution right after the closing mark stands in a sentence of its
    own. A verb of saying among its first words (after the name or pronoun) is the quotation's cue."""
    if not last.text.endswith(("?", "!")):  # the token, not ``doc.text``, which rebuilds the whole article
        return []
    opening = [t for t in doc[last.i + 1:min(len(doc), last.i + 12)] if t.idx >= end and not (t.is_punct or t.is_space)][:4]
    return [t for t in opening if _is_cue(t, "direct") and not _inside(t.idx, outside)]


def reported_speech(doc: Doc, quote_ranges: Sequence[tuple[int, int]], min_words: int = 3) -> list[ReportedSpeech]:
    """Statements reported without quote marks: the clausal complement of a verb of saying,
    and the clause "according to X" attaches to. A clause holding quote marks is direct speech, not this."""
    found: list[ReportedSpeech] = []
    # Which tokens stand inside quote marks, in one walk (not a scan of every quotation for every token).
    quoted = bytearray(len(doc))
    for start, end in quote_ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            quoted[span.start:span.end] = b"\x01" * (span.end - span.start)
    reported_cues, according_cues = speech_cues()["reported"], speech_cues()["according"]  # looked up once, not per token
    for token in doc:
        if quoted[token.i] and _inside(token.idx, quote_ranges):
            continue
        lemma = token.lemma_.casefold()
        if lemma in reported_cues and token.pos in _VERB_TAGS and not _hyphenated(token):
            # A statement is someone's: the verb of saying needs a subject, the speaker ("it was reported
            # that …" and a parser's stray complement name nobody).
            if subject_of(token) is None:
                continue
            clauses = [clause for clause in token.children if clause.dep_ == "ccomp" and _is_reported_clause(clause)]
            for clause in clauses:
                span = _content(doc, clause.left_edge.i, _statement_end(clause), quote_ranges, min_words)
                if span is not None:
                    found.append(ReportedSpeech(span[0], span[1], _attribution(token)))
            if not clauses and token.dep_ == "parataxis" and not quoted[token.head.i]:
                span = _parenthetical_statement(doc, token, quote_ranges, min_words)
                if span is not None:
                    found.append(ReportedSpeech(span[0], span[1], _attribution(token)))
        elif lemma in according_cues and token.head is not token and _is_according(token):
            clause = token.head
            cut = token.left_edge.i, token.right_edge.i + 1
            if cut[0] <= clause.left_edge.i:  # "According to X, the studio owes …"
                bounds = cut[1], clause.right_edge.i + 1
            else:  # "The studio owes …, according to X."
                bounds = clause.left_edge.i, cut[0]
            span = _content(doc, *bounds, quote_ranges, min_words)
            if span is not None:
                found.append(ReportedSpeech(span[0], span[1], _attribution(token)))
    return found


# A comment the writer sets off after a comma: an appositive, a non-restrictive relative or participial clause.
_WRITERS_MODIFIERS = frozenset({"appos", "relcl", "acl"})
_CONCESSIVE = frozenset({"although", "though", "while", "whereas"})


def _statement_end(clause: Token) -> int:
    """Where the reported statement of ``clause`` ends (a token index, exclusive): before a comment the
    writer adds after a comma at its end ("he expects Clinton to recover, which forced her to …"; "…
    smart, although he again refused …"; "…, arguing that …"), and before a second verb of saying joined to
    it ("he would order a review and warned against …"): that is the next attribution, not this statement."""
    doc = clause.doc
    end = clause.right_edge.i + 1
    for token in clause.subtree:
        if token.i <= clause.i or token.right_edge.i + 1 != end:
            continue
        first = token.left_edge
        after_comma = first.i > 0 and doc[first.i - 1].text == ","
        if token.dep_ == "conj" and token.head.i == clause.i and _is_cue(token, "reported"):
            cut = first.i
            while cut > clause.i and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            return cut
        if not after_comma:
            continue
        writers = token.dep_ in _WRITERS_MODIFIERS or (token.dep_ == "advcl" and (
            first.tag_ == "VBG" or any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in token.children)))
        if writers:
            return first.i - 1
    return end


def _parenthetical_statement(doc: Doc, cue: Token, quote_ranges, min_words: int) -> tuple[int, int] | None:
    """"The museum, Mr. Bush said, celebrated his heroes" and "The date will hold, she said.": a verb of
    saying set into the statement's own sentence (the parser hangs it off the statement's verb as
    parataxis, with no complement) reports the sentence, or the relative or conjoined clause of it the cue
    stands in ("The park is near the stadium, which, Tompkins said, is full on game days"); the words
    before the cue when the cue closes the sentence."""
    sentence = cue.sent
    cue_first, cue_last = cue.left_edge.i, cue.right_edge.i
    closing = all(t.is_punct or t.is_space for t in doc[cue_last + 1:sentence.end])
    if cue_first <= sentence.start:
        return None  # "Said the producer, …" opens the sentence: the parse is not of this shape
    first, last = sentence.start, cue_first if closing else sentence.end
    statement = cue.head
    if statement.dep_ in ("relcl", "conj") and statement.left_edge.i < cue_first and not closing:
        # A relative clause or a second clause of the sentence is a statement of its own.
        first, last = statement.left_edge.i, min(sentence.end, statement.right_edge.i + 1)
    return _content(doc, first, last, quote_ranges, min_words)


def _content(doc: Doc, first: int, last: int, quote_ranges, min_words: int) -> tuple[int, int] | None:
    tokens = [t for t in doc[first:last] if not t.is_space]
    words = [t for t in tokens if not t.is_punct]
    if len(words) < min_words:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    # The clause's own characters only: ``doc.text`` would rebuild the whole article for each clause.
    segment = doc[tokens[0].i:tokens[-1].i + 1].text
    trimmed = segment.lstrip(_EDGE_PUNCT)
    start += len(segment) - len(trimmed)
    end -= len(trimmed) - len(trimmed.rstrip(_EDGE_PUNCT))
    # Reported speech is what is said without quote marks: a clause that quotes words
    # ("he has “big plans” for …") is carried by its direct quote instead, once.
    if end - start < 8 or any(qs < end + 1 and start - 1 < qe for qs, qe in quote_ranges):
        return None
    return start, end
