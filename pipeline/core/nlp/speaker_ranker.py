"""Who said a quotation, decided by a trained ranker over the article's people and organisations.

The rule cascade of ``quotes.attribute`` proposes a speaker and says how it
found it; the ranker reads that proposal as one feature among others and
scores every candidate (each PERSON and ORG entity of the article, with its
mentions) on features of the parse and the page: the cue and whether its
subject names the candidate, distance in characters, sentences and
paragraphs, which side of the quote the candidate stands, salience (mentions
so far, the headline, the article's most-mentioned person), the previous
quote's speaker, quote-only paragraphs, a "Name:" prefix, pronoun agreement
(gender from given names), and "in a statement" / "told" / "according to".

The candidate scored highest speaks, unless its probability is below the
model's threshold (chosen on the development set by the training script: the
best quote+speaker F1, optionally under a floor of precision when named), or
the verb of saying has a subject that names nobody of the article and the
rules found no speaker either ("officials said"): then the quote has none.

The model is a logistic regression trained by ``training/train_speaker_ranker.py``
(scikit-learn, a training-only dependency) and shipped as plain JSON
(``speaker_model.json``: feature names, standardisation, coefficients,
threshold), scored here with numpy; ``training/speaker_model_manifest.json``
names the articles it was trained on. The file's bytes are part of the
stage's rules version, so a new model re-extracts landed articles.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .given_names import PRONOUN_GENDER, may_refer_to

MODEL_FILE = Path(__file__).resolve().parent / "speaker_model.json"

# How the cascade found its speaker, grouped by how far that kind of evidence carries.
CASCADE_GROUPS = {
    "syntax": "parse", "syntax_pronoun": "parse_pronoun", "syntax_description": "parse_description",
    "according_to": "parse", "cue_after": "pattern", "cue_before": "pattern", "signed_with_dash": "pattern",
    "continues_previous_quote": "carried", "continues_transcript_turn": "carried", "same_paragraph_speaker": "carried",
    "continues_previous_paragraph": "carried", "named_in_previous_sentence": "context",
    "subject_of_previous_sentence": "context", "interviewee": "interviewee",
}
_GROUPS = ("parse", "parse_pronoun", "parse_description", "pattern", "carried", "context", "interviewee")

# Words right before a mention that make it the one spoken to or about, not the speaker.
_ADDRESSEE_BEFORE = re.compile(
    r"(?:\btold|\btells|\btell|\bto|\bwith|\bfor|\babout|\bof|\bby|\bat|\binterview(?:ed)?|\basked|\bthanked|\bpraised)\s+"
    r"(?:the\s+|a\s+|an\s+|[\w’'-]+’s\s+|[\w’'-]+'s\s+)?(?:[a-z][\w’'-]*\s+){0,2}$")
_STATEMENT = re.compile(r"\b(?:statement|spokes(?:wo)?m[ae]n|spokesperson|representative|press release|release)\b",
                        re.IGNORECASE)
_ACCORDING_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.IGNORECASE)
# "WALLACE: …" and "Reyes: …": a speaker's name and a colon open the paragraph (transcripts, Q&As).
_PREFIX = re.compile(r"^\s*([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s*:\s*$")
_TURN = re.compile(r"[“\"‘']?\s*((?:[A-Z][A-Z’'.-]+)(?:\s+[A-Z][A-Z’'.-]+){0,2})\s*:\s")
# The quote's own words open with a name and a colon: a transcript turn inside the marks.
_OPENING_NAME = re.compile(r"\s*([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})\s*:\s")
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:we|our|ours|us)\b|\[we\]|\[our\]", re.IGNORECASE)
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|me|my|mine)\b|\bI[’']")
_ORG_PRONOUNS = frozenset({"they", "it", "we"})
# A person's first mention followed by a description of who they are: "Aaron Kall, the director of …".
_DESCRIPTION_AFTER = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?(?!(?:and|but|or|who|which|said|says|told|too|however)\b)[a-z]")
_OBLIQUE_BEFORE = re.compile(r"\b(?:to|with|for|about|of|by|at|from|on|in|like|than|against|and)\s+(?:[a-z][\w’'-]*\s+){0,2}$")

CANDIDATE_FEATURES = (
    "bias_candidate",
    "is_person",
    "is_org",
    "cascade_choice",
    *(f"cascade_{group}" for group in _GROUPS),
    "cascade_none_quote",
    "parse_governing_subject",
    "parse_nearest_subject",
    "parse_pronoun_agrees",
    "parse_pronoun_disagrees",
    "before_same_sentence",
    "before_adjacent_sentence",
    "before_same_paragraph",
    "after_same_sentence",
    "after_same_paragraph",
    "log_chars_before",
    "log_chars_after",
    "paragraphs_back",
    "never_before",
    "recency_rank_0",
    "recency_rank_1",
    "recency_rank_2",
    "nearest_is_subject",
    "nearest_is_addressee",
    "nearest_is_possessive",
    "nearest_in_quote_marks_only",
    "named_inside_quote",
    "log_mentions_before",
    "log_mentions_total",
    "most_mentioned",
    "first_named",
    "in_headline",
    "previous_quote_speaker",
    "previous_quote_speaker_quote_only",
    "cascade_share",
    "dominant_speaker",
    "dominant_speaker_unattributed",
    "quote_only_recency_0",
    "quote_only_subject_of_previous_paragraph",
    "statement_org",
    "according_to",
    "name_prefix",
    "partial_quote_recency_0",
    "pronoun_recent_agreeing_0",
    "pronoun_recent_subject_agreeing_0",
    "subject_recency_0",
    "subject_recency_1",
    "before_same_sentence_subject",
    "transcript_speaker",
    "previous_paragraph_first_named_any",
    "pronoun_agrees_most_mentioned",
    "pronoun_agrees_in_headline",
    "pronoun_agrees_previous_speaker",
    "pronoun_agrees_dominant_speaker",
    "mention_share",
    "reported_parse_subject",
    "reported_cascade_choice",
    "parse_subject_unresolved",
    "is_reported",
    # Organisations that speak: "they"/"it" as the cue's subject, a quote in "we", a statement nearby.
    "org_pronoun_subject_recent",
    "first_person_plural_org_recent",
    "statement_org_recent",
    # "PENCE: Well, look, …": the quote opens with a speaker's name and a colon.
    "quote_opens_with_name",
    # The person a pronoun points back to is the one the passage is about (a subject, not a name after a
    # preposition, a possessive or inside quote marks): "concerns Henry Crespo, …" is not the antecedent's kind.
    "pronoun_agreeing_topic_0",
    # Interview write-ups: a quote with no cue of its own belongs to the article's subject.
    "uncued_article_subject",
    # "The 38-year-old star slammed the couple. … ‘…,’ she said": a description for subject in the quote's
    # sentence or the one before names the article's subject again, and a pronoun after it points there.
    "description_subject_article_subject",
    # News introduces a new voice right before its words: "Aaron Kall, the director of debate at …, compared
    # Trump to a coach who is “…”"; "… concerns Henry Crespo, president of …. ¶ “…,” he said".
    "introduced_recently",
    "introduced_recently_with_description",
    # "he"/"she" with one person of that gender named since the paragraph before, whatever their role there
    # ("with Hillary Clinton — who's called for … ¶ “…,” she said").
    "pronoun_sole_agreeing_nearby",
    # The subject of the main verb of the quote's own sentence, outside the marks ("Aaron Kall, the director of
    # debate, compared Trump to a coach who is “…”"): whose words a partial quote with no verb of saying carries.
    "quote_sentence_main_subject",
)
FEATURES = CANDIDATE_FEATURES


@dataclass(frozen=True)
class QuoteView:
    """What the ranker reads of one quotation: where it is and what the cascade said."""

    start: int
    end: int
    paragraph: int
    is_partial: bool
    cascade_entity_id: str | None
    cascade_attribution: str | None
    reported: bool = False  # reported speech (no quote marks): its cue's subject is nearly always the speaker


@dataclass(frozen=True)
class Candidate:
    entity_id: str
    name: str
    entity_type: str
    mentions: tuple  # the entity's mentions, in reading order


@dataclass(frozen=True)
class ParseEvidence:
    """The speaker phrases the parse gives a quote: the governing cue's subject and the nearest cue's."""

    governing: tuple[int, int] | None
    nearest: tuple[int, int] | None
    pronoun: str | None  # "he"/"she"/… when the nearest cue's subject is a pronoun


class ArticlePage:
    """The per-article facts every quote's features read: sentences, paragraphs, mentions by entity."""

    def __init__(self, text: str, mentions: Sequence, quote_ranges: Sequence[tuple[int, int]], doc=None,
                 headline: str | None = None, paragraphs: Sequence[tuple[int, int]] = ()):
        self.text = text
        self.doc = doc
        self.paragraphs = list(paragraphs)
        self.quote_ranges = sorted(quote_ranges)
        self.headline = (headline or "").casefold()
        by_entity: dict[str, list] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            if m.entity_type in ("PERSON", "ORG"):
                by_entity.setdefault(m.entity_id, []).append(m)
        self.candidates = [Candidate(eid, ms[0].name, ms[0].entity_type, tuple(ms)) for eid, ms in by_entity.items()]
        self.by_id = {c.entity_id: c for c in self.candidates}
        people = [c for c in self.candidates if c.entity_type == "PERSON"]
        self.most_mentioned = max(people, key=lambda c: (len(c.mentions), -c.mentions[0].start)).entity_id if people else None
        self.first_named = min(people, key=lambda c: c.mentions[0].start).entity_id if people else None
        self.sentence_starts = self._sentence_starts()
        # Each mention's grammatical role and whether it stands inside quote marks, once per article.
        self.is_subject = {m.start: self.is_subject_at(m.start) for c in self.candidates for m in c.mentions}
        self.quoted = {m.start: self.inside_quote(m.start) for c in self.candidates for m in c.mentions}
        self.transcript_names = self._transcript_names()
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        # Per candidate, for bisecting by position: all mentions' starts and ends, the ends of those outside
        # quote marks, and of those outside quote marks in subject position.
        self.starts = {c.entity_id: [m.start for m in c.mentions] for c in self.candidates}
        self.ends = {c.entity_id: [m.end for m in c.mentions] for c in self.candidates}
        self.unquoted = {c.entity_id: [m for m in c.mentions if not self.quoted[m.start]] for c in self.candidates}
        self.unquoted_ends = {eid: [m.end for m in ms] for eid, ms in self.unquoted.items()}
        self.subject_ends = {eid: [m.end for m in ms if self.is_subject[m.start]] for eid, ms in self.unquoted.items()}
        self.name_words = {c.entity_id: frozenset(w.casefold() for w in re.findall(r"[\w’'-]+", c.name))
                           for c in self.candidates}
        self.headlined = {c.entity_id: self.in_headline(c) for c in self.candidates}
        self.all_spans = sorted((m.start, m.end) for c in self.candidates for m in c.mentions)
        # The first candidate named outside quote marks in each paragraph (any, and people only).
        self.first_in_paragraph: dict[int, str] = {}
        self.first_person_in_paragraph: dict[int, str] = {}
        for start, eid in sorted((m.start, c.entity_id) for c in self.candidates for m in self.unquoted[c.entity_id]):
            index = self.paragraph_of(start)
            self.first_in_paragraph.setdefault(index, eid)
            if self.by_id[eid].entity_type == "PERSON":
                self.first_person_in_paragraph.setdefault(index, eid)
        self._features_of_mention: dict[int, tuple] = {}
        # Mentions a pronoun can point back to as the passage's topic: outside quote marks, not a possessive,
        # not right after a preposition or a conjunction.
        self.topic_ends = {eid: [m.end for m in ms if self.is_topic(m)] for eid, ms in self.unquoted.items()}
        # The sentences whose main verb has a candidate for subject, by candidate.
        self.main_subject_of: dict[str, set[int]] = {}
        for c in self.candidates:
            for m in self.unquoted[c.entity_id]:
                if self.is_subject[m.start] and self.heads_sentence(m.start):
                    self.main_subject_of.setdefault(c.entity_id, set()).add(self.sentence_of(m.start))
        # Where each candidate is first named outside quote marks, and whether a description follows the name.
        self.introduced = {eid: ms[0].start for eid, ms in self.unquoted.items() if ms}
        self.described_at_introduction = {eid for eid, ms in self.unquoted.items()
                                          if ms and _DESCRIPTION_AFTER.match(text, ms[0].end)}
        self.statement_paragraphs = {index for index, (start, end) in enumerate(self.paragraphs)
                                     if _STATEMENT.search(text, start, end)}

    def is_topic(self, mention) -> bool:
        text = self.text
        if text[mention.end:mention.end + 2] in ("’s", "'s"):
            return False
        return self.is_subject[mention.start] or not _OBLIQUE_BEFORE.search(text[max(0, mention.start - 30):mention.start])

    def mention_context(self, mention) -> tuple[bool, bool, bool, bool]:
        """(subject, addressee, possessive, after "according to") of a mention, computed once."""
        found = self._features_of_mention.get(mention.start)
        if found is None:
            text = self.text
            found = (self.is_subject[mention.start],
                     bool(_ADDRESSEE_BEFORE.search(text[max(0, mention.start - 40):mention.start])),
                     text[mention.end:mention.end + 2] in ("’s", "'s"),
                     bool(_ACCORDING_BEFORE.search(text[max(0, mention.start - 20):mention.start])))
            self._features_of_mention[mention.start] = found
        return found

    def overlapping(self, span: tuple[int, int] | None) -> set[str]:
        """The candidates with a mention overlapping ``span``."""
        if span is None:
            return set()
        return {c.entity_id for c in self.candidates for m in c.mentions if m.start < span[1] and span[0] < m.end}

    def _transcript_names(self) -> list[tuple[int, frozenset[str]]]:
        """(paragraph, name words) of each paragraph that opens with a capitalised name and a colon
        ("WALLACE: …", "Reyes: …"): a transcript or Q&A turn."""
        out = []
        for index, (start, end) in enumerate(self.paragraphs):
            match = _TURN.match(self.text, start, end)
            if match:
                out.append((index, frozenset(w.casefold() for w in re.findall(r"[\w’'-]+", match.group(1)))))
        return out

    def turn_speaker_words(self, paragraph: int, position: int) -> frozenset[str]:
        """The name words of the transcript turn a position belongs to (its paragraph or one of the
        five before, the nearest), or nothing."""
        best = frozenset()
        for index, words in self.transcript_names:
            if paragraph - 5 <= index <= paragraph:
                best = words
        return best

    def _sentence_starts(self) -> list[int]:
        if self.doc is not None:
            sentences = list(self.doc.sents)
            # Sentences whose subject is a description ("The 38-year-old star slammed …"), not a name or a pronoun.
            self.described_subject = {i for i, sentence in enumerate(sentences) if _has_description_subject(sentence)}
            return [s.start_char for s in sentences]
        self.described_subject = set()
        return [0] + [m.end() for m in re.finditer(r"[.!?][”\"’']?\s+(?=[A-Z“\"‘])", self.text)]

    def sentence_of(self, position: int) -> int:
        return bisect.bisect_right(self.sentence_starts, position) - 1

    def paragraph_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, position) - 1)

    def inside_quote(self, position: int) -> bool:
        return any(s <= position < e for s, e in self.quote_ranges)

    def in_headline(self, candidate: Candidate) -> bool:
        if not self.headline:
            return False
        words = re.findall(r"[\w’'-]+", candidate.name)
        key = words[-1].casefold() if words else ""
        return bool(key) and re.search(rf"\b{re.escape(key)}\b", self.headline) is not None

    def heads_sentence(self, position: int) -> bool:
        """Whether the name at ``position`` hangs off its sentence's root: the subject of the main verb."""
        token = self._name_token(position)
        return token is not None and token.head.dep_ == "ROOT"

    def _name_token(self, position: int):
        """The token of the name at ``position`` as a whole: its compound/flat parts climbed to their head."""
        if self.doc is None:
            return None
        span = self.doc.char_span(position, position + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        token = span[0]
        while token.dep_ in ("compound", "flat") and token.head is not token:
            token = token.head
        return token

    def is_subject_at(self, position: int) -> bool:
        """Whether the name at ``position`` is a verb's subject, or set beside one as its appositive ("The
        company that runs the show, Dick Clark Productions, denies …"): the subject names it either way."""
        token = self._name_token(position)
        if token is None:
            return False
        if token.dep_ == "appos" and token.head is not token:
            token = token.head
        return token.dep_ in ("nsubj", "nsubjpass")

    def token_dep(self, position: int) -> str | None:
        """The dependency of the name at ``position`` as a whole."""
        token = self._name_token(position)
        return token.dep_ if token is not None else None


def _has_description_subject(sentence) -> bool:
    """Whether the sentence's main verb has for subject a definite description of a person ("the
    38-year-old star", "the actress"): news style's way of naming the article's subject again."""
    root = sentence.root
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ == "NOUN" \
                and any(d.dep_ == "det" and d.lower_ == "the" for d in child.children) \
                and not any(d.dep_ in ("appos", "compound") and d.pos_ == "PROPN" for d in child.children) \
                and child.ent_type_ in ("", "PERSON"):
            return True
    return False


def quote_features(page: ArticlePage, quote: QuoteView, parse: ParseEvidence, previous: QuoteView | None,
                   cascade_share: dict[str, float]) -> tuple[list[Candidate], np.ndarray]:
    """The candidates of one quote and their feature rows (one row per candidate, columns as ``FEATURES``)."""
    text = page.text
    q_sentence = page.sentence_of(quote.start)
    q_end_sentence = page.sentence_of(max(quote.start, quote.end - 1))
    p_start, p_end = page.paragraphs[quote.paragraph]
    quote_only = not text[p_start:max(p_start, quote.start - 1)].strip() and len(text[quote.end:p_end].strip(" ”\"’'")) <= 2
    prefix = _PREFIX.match(text[p_start:max(p_start, quote.start - 1)])
    prefix_words = frozenset(w.casefold() for w in re.findall(r"[\w’'-]+", prefix.group(1))) if prefix else frozenset()
    group = CASCADE_GROUPS.get(quote.cascade_attribution or "", None)
    window = text[max(p_start, quote.start - 200):min(p_end, quote.end + 200)]
    statement_near = _STATEMENT.search(window) is not None
    # Recency: candidates ordered by their last mention before the quote, outside quote marks.
    by_id = page.by_id
    last_before: dict[str, int] = {}
    subject_last: dict[str, int] = {}
    for c in page.candidates:
        k = bisect.bisect_right(page.unquoted_ends[c.entity_id], quote.start - 1)
        if k:
            last_before[c.entity_id] = page.unquoted[c.entity_id][k - 1].start
        subjects = page.subject_ends[c.entity_id]
        k = bisect.bisect_right(subjects, quote.start - 1)
        if k:
            subject_last[c.entity_id] = subjects[k - 1]
    people_recent = sorted((eid for eid in last_before if by_id[eid].entity_type == "PERSON"),
                           key=lambda eid: -last_before[eid])
    rank = {eid: i for i, eid in enumerate(people_recent)}
    previous_paragraph_subject = page.first_person_in_paragraph.get(quote.paragraph - 1) \
        if quote_only and quote.paragraph > 0 else None
    pronoun = parse.pronoun if parse.pronoun in PRONOUN_GENDER else None
    agreeing = [eid for eid in people_recent if pronoun and may_refer_to(pronoun, by_id[eid].name)]
    subject_order = sorted(subject_last, key=lambda eid: -subject_last[eid])
    agreeing_subjects = [eid for eid in subject_order if pronoun and by_id[eid].entity_type == "PERSON"
                         and may_refer_to(pronoun, by_id[eid].name)]
    turn = page.turn_speaker_words(quote.paragraph, quote.start)
    previous_paragraph_first = page.first_in_paragraph.get(quote.paragraph - 1) if quote.paragraph > 0 else None
    governing_ids, nearest_ids = page.overlapping(parse.governing), page.overlapping(parse.nearest)
    dominant = max(cascade_share, key=cascade_share.get) if cascade_share else None
    total_mentions = sum(len(c.mentions) for c in page.candidates) or 1
    dominant = dominant if dominant is not None and cascade_share[dominant] >= 0.5 else None
    quote_text = text[quote.start:quote.end]
    opening = _OPENING_NAME.match(quote_text)
    opening_words = frozenset(w.casefold() for w in re.findall(r"[\w’'-]+", opening.group(1))) if opening else frozenset()
    orgs_recent = sorted((eid for eid in last_before if by_id[eid].entity_type == "ORG"), key=lambda eid: -last_before[eid])
    org_subjects = sorted((eid for eid in subject_last if by_id[eid].entity_type == "ORG"), key=lambda eid: -subject_last[eid])
    org_pronoun = parse.pronoun in _ORG_PRONOUNS
    org_subject = (org_subjects or orgs_recent or [None])[0]
    # "Big Machine denied it. ‘…,’ they said in a statement": "they" or "it" with an organisation named since
    # the paragraph before is that organisation, not an unnamed group.
    organisation_speaks = org_pronoun and bool(orgs_recent) and page.paragraph_of(last_before[orgs_recent[0]]) >= quote.paragraph - 1
    subject = parse.governing or parse.nearest
    # A pronoun the rules resolved ("Robin Ashe, who uses they/them pronouns, … ‘…,’ they said") names someone.
    subject_unresolved = subject is not None and parse.pronoun not in PRONOUN_GENDER and not page.overlapping(subject) \
        and not organisation_speaks and not (parse.pronoun is not None and quote.cascade_entity_id is not None)
    nearby_from = page.paragraphs[quote.paragraph - 1][0] if quote.paragraph > 0 else p_start
    agreeing_nearby = [eid for eid in agreeing if last_before[eid] >= nearby_from]
    sole_agreeing = agreeing_nearby[0] if len(agreeing_nearby) == 1 else None
    plural_voice = bool(_FIRST_PERSON_PLURAL.search(quote_text)) and not _FIRST_PERSON_SINGULAR.search(quote_text)
    statement_recent = statement_near or bool({quote.paragraph, quote.paragraph - 1} & page.statement_paragraphs)
    topic_last = {}
    for c in page.candidates:
        k = bisect.bisect_right(page.topic_ends[c.entity_id], quote.start - 1)
        if k and c.entity_type == "PERSON":
            topic_last[c.entity_id] = page.topic_ends[c.entity_id][k - 1]
    agreeing_topics = [eid for eid in sorted(topic_last, key=lambda eid: -topic_last[eid])
                       if pronoun and may_refer_to(pronoun, by_id[eid].name)]
    uncued = quote.cascade_attribution is None or group in ("carried", "context", "interviewee")
    described = bool({q_sentence, q_sentence - 1} & page.described_subject)
    article_subject = page.most_mentioned if page.most_mentioned and page.headlined.get(page.most_mentioned) else None

    rows = []
    for c in page.candidates:
        f = dict.fromkeys(FEATURES, 0.0)
        f["bias_candidate"] = 1.0
        f["is_person"] = float(c.entity_type == "PERSON")
        f["is_org"] = float(c.entity_type == "ORG")
        chosen = quote.cascade_entity_id == c.entity_id
        f["cascade_choice"] = float(chosen)
        if chosen and group:
            f[f"cascade_{group}"] = 1.0
        f["cascade_none_quote"] = float(quote.cascade_entity_id is None)
        f["parse_governing_subject"] = float(c.entity_id in governing_ids)
        f["parse_nearest_subject"] = float(c.entity_id in nearest_ids)
        if parse.pronoun and parse.pronoun in PRONOUN_GENDER and c.entity_type == "PERSON":
            agrees = may_refer_to(parse.pronoun, c.name)
            f["parse_pronoun_agrees"] = float(agrees)
            f["parse_pronoun_disagrees"] = float(not agrees)
        n_before = bisect.bisect_right(page.ends[c.entity_id], quote.start)
        first_after = bisect.bisect_left(page.starts[c.entity_id], quote.end)
        if n_before:
            near = c.mentions[n_before - 1]
            is_subject, addressee, possessive, according = page.mention_context(near)
            s = page.sentence_of(near.start)
            f["before_same_sentence"] = float(s == q_sentence)
            f["before_adjacent_sentence"] = float(s == q_sentence - 1)
            f["before_same_paragraph"] = float(near.start >= p_start)
            f["log_chars_before"] = math.log1p(quote.start - near.end) / 10
            f["paragraphs_back"] = min(quote.paragraph - page.paragraph_of(near.start), 10) / 10
            f["nearest_is_subject"] = float(is_subject)
            f["nearest_is_addressee"] = float(addressee)
            f["nearest_is_possessive"] = float(possessive)
            f["according_to"] = float(according and near.start >= p_start)
        else:
            f["never_before"] = 1.0
            f["log_chars_before"] = 1.0
            f["paragraphs_back"] = 1.0
        if first_after < len(c.mentions):
            first = c.mentions[first_after]
            f["after_same_sentence"] = float(page.sentence_of(first.start) == q_end_sentence)
            f["after_same_paragraph"] = float(first.start < p_end)
            f["log_chars_after"] = math.log1p(first.start - quote.end) / 10
        else:
            f["log_chars_after"] = 1.0
        f["nearest_in_quote_marks_only"] = float(n_before > 0 and c.entity_id not in last_before)
        inside = bisect.bisect_left(page.starts[c.entity_id], quote.start)
        f["named_inside_quote"] = float(inside < len(c.mentions) and c.mentions[inside].start < quote.end)
        r = rank.get(c.entity_id)
        if r is not None:
            f[f"recency_rank_{min(r, 2)}"] = 1.0
        f["log_mentions_before"] = math.log1p(n_before) / 3
        f["log_mentions_total"] = math.log1p(len(c.mentions)) / 3
        f["most_mentioned"] = float(page.most_mentioned == c.entity_id)
        f["first_named"] = float(page.first_named == c.entity_id)
        f["in_headline"] = float(page.headlined[c.entity_id])
        if previous is not None and previous.cascade_entity_id == c.entity_id:
            f["previous_quote_speaker"] = 1.0
            f["previous_quote_speaker_quote_only"] = float(quote_only)
        share = cascade_share.get(c.entity_id, 0.0)
        f["cascade_share"] = share
        f["dominant_speaker"] = float(dominant == c.entity_id)
        f["dominant_speaker_unattributed"] = float(dominant == c.entity_id and quote.cascade_entity_id is None)
        f["quote_only_recency_0"] = float(quote_only and r == 0)
        f["quote_only_subject_of_previous_paragraph"] = float(previous_paragraph_subject == c.entity_id)
        f["statement_org"] = float(statement_near and c.entity_type == "ORG" and n_before > 0
                                   and c.mentions[n_before - 1].start >= p_start)
        if prefix_words:
            f["name_prefix"] = float(bool(prefix_words & page.name_words[c.entity_id]))
        f["partial_quote_recency_0"] = float(quote.is_partial and r == 0)
        f["pronoun_recent_agreeing_0"] = float(bool(agreeing) and agreeing[0] == c.entity_id)
        f["pronoun_recent_subject_agreeing_0"] = float(bool(agreeing_subjects) and agreeing_subjects[0] == c.entity_id)
        f["subject_recency_0"] = float(bool(subject_order) and subject_order[0] == c.entity_id)
        f["subject_recency_1"] = float(len(subject_order) > 1 and subject_order[1] == c.entity_id)
        f["before_same_sentence_subject"] = float(n_before > 0 and f["before_same_sentence"] == 1.0
                                                  and page.is_subject[c.mentions[n_before - 1].start])
        if turn:
            f["transcript_speaker"] = float(bool(turn & page.name_words[c.entity_id]))
        f["previous_paragraph_first_named_any"] = float(previous_paragraph_first == c.entity_id)
        if pronoun and c.entity_type == "PERSON" and may_refer_to(pronoun, c.name):
            f["pronoun_agrees_most_mentioned"] = f["most_mentioned"]
            f["pronoun_agrees_in_headline"] = f["in_headline"]
            f["pronoun_agrees_previous_speaker"] = f["previous_quote_speaker"]
            f["pronoun_agrees_dominant_speaker"] = f["dominant_speaker"]
        f["mention_share"] = len(c.mentions) / total_mentions
        # "Officials … ‘…,’ they said", "a spokesman said": the parse names a speaker who is none of the candidates.
        f["parse_subject_unresolved"] = float(subject_unresolved)
        if c.entity_type == "ORG":
            f["org_pronoun_subject_recent"] = float(org_pronoun and org_subject == c.entity_id)
            f["first_person_plural_org_recent"] = float(plural_voice and bool(orgs_recent) and orgs_recent[0] == c.entity_id)
            f["statement_org_recent"] = float(statement_recent and bool(orgs_recent) and orgs_recent[0] == c.entity_id)
        if opening_words:
            f["quote_opens_with_name"] = float(bool(opening_words & page.name_words[c.entity_id]))
        f["pronoun_agreeing_topic_0"] = float(bool(agreeing_topics) and agreeing_topics[0] == c.entity_id)
        f["uncued_article_subject"] = float(uncued and article_subject == c.entity_id)
        f["description_subject_article_subject"] = float(described and article_subject == c.entity_id and (
            pronoun is None or may_refer_to(pronoun, c.name)))
        introduced = page.introduced.get(c.entity_id)
        if introduced is not None and introduced < quote.start and page.paragraph_of(introduced) >= quote.paragraph - 1:
            f["introduced_recently"] = 1.0
            f["introduced_recently_with_description"] = float(c.entity_id in page.described_at_introduction)
        f["pronoun_sole_agreeing_nearby"] = float(sole_agreeing == c.entity_id)
        f["quote_sentence_main_subject"] = float(q_sentence in page.main_subject_of.get(c.entity_id, ()))
        if quote.reported:
            f["is_reported"] = 1.0
            f["reported_parse_subject"] = f["parse_governing_subject"]
            f["reported_cascade_choice"] = f["cascade_choice"]
        rows.append([f[name] for name in FEATURES])
    return page.candidates, np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


class BoostedTrees:
    """Gradient-boosted regression trees, scored for many rows at once: every tree is walked together,
    one level per step (the trees are shallow), from arrays padded to the largest tree."""

    def __init__(self, trees: Sequence[dict]):
        size = max(len(tree["feature"]) for tree in trees)

        def table(key, fill, dtype):
            out = np.full((len(trees), size), fill, dtype=dtype)
            for i, tree in enumerate(trees):
                out[i, :len(tree[key])] = tree[key]
            return out
        self.feature = np.maximum(table("feature", 0, np.int64), 0)  # a leaf's feature (-2) is never read
        self.threshold = table("threshold", 0.0, np.float64)
        self.left = table("left", -1, np.int64)
        self.right = table("right", -1, np.int64)
        self.value = table("value", 0.0, np.float64)
        self.depth = max(_depth(tree) for tree in trees)
        self.tree_index = np.arange(len(trees))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The summed leaf values of the trees, one per row."""
        node = np.zeros((len(rows), len(self.tree_index)), dtype=np.int64)
        trees, row_index = self.tree_index[None, :], np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            left, right = self.left[trees, node], self.right[trees, node]
            go_left = rows[row_index, self.feature[trees, node]] <= self.threshold[trees, node]
            node = np.where(left < 0, node, np.where(go_left, left, right))
        return self.value[trees, node].sum(axis=1)


def _depth(tree: dict, node: int = 0) -> int:
    if tree["left"][node] < 0:
        return 0
    return 1 + max(_depth(tree, tree["left"][node]), _depth(tree, tree["right"][node]))


@dataclass(frozen=True)
class SpeakerModel:
    """The probability that a candidate is the quote's speaker: a logistic regression over standardised
    features, or gradient-boosted trees over the raw features."""

    features: tuple[str, ...]
    intercept: float
    threshold: float  # below it, the best candidate is not named: the quote has no speaker
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None
    trees: BoostedTrees | None = None
    # The threshold for a quote whose verb of saying has a subject the rules resolved (see ``threshold_for``).
    threshold_cued: float | None = None

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            return 1.0 / (1.0 + np.exp(-(self.trees.scores(rows) + self.intercept)))
        return 1.0 / (1.0 + np.exp(-(((rows - self.mean) / self.scale) @ self.coef + self.intercept)))

    def choose(self, rows: np.ndarray) -> int | None:
        """The index of the candidate that speaks, or None for no speaker."""
        return self.choose_each([rows])[0]

    def choose_each(self, quotes_rows: Sequence[np.ndarray]) -> list[int | None]:
        """``choose`` for each quote of an article, the rows of all scored at once (one pass of the trees
        for the article, not one per quote)."""
        scored = [rows for rows in quotes_rows if len(rows)]
        probabilities = self.probabilities(np.vstack(scored)) if scored else np.zeros(0)
        out, at = [], 0
        for rows in quotes_rows:
            mine, at = probabilities[at:at + len(rows)], at + len(rows)
            if not len(rows) or unnamed_source(rows):
                out.append(None)
                continue
            best = int(mine.argmax())
            out.append(best if mine[best] >= threshold_for(rows, (self.threshold, self.threshold_cued)) else None)
        return out

    @classmethod
    def from_json(cls, data: dict) -> "SpeakerModel":
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the speaker model was trained on other features than this code computes: retrain it "
                             "with training/train_speaker_ranker.py")
        cued = float(data["threshold_cued"]) if "threshold_cued" in data else None
        if "trees" in data:
            return cls(tuple(data["features"]), float(data["intercept"]), float(data["threshold"]),
                       trees=BoostedTrees(data["trees"]), threshold_cued=cued)
        return cls(tuple(data["features"]), float(data["intercept"]), float(data["threshold"]),
                   *(np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")), threshold_cued=cued)


_UNRESOLVED, _CASCADE_NONE, _REPORTED = (CANDIDATE_FEATURES.index(name) for name in (
    "parse_subject_unresolved", "cascade_none_quote", "is_reported"))
# How the rules found a speaker from the quote's own verb of saying: its subject, a name, a pronoun or a description.
_CUED = [CANDIDATE_FEATURES.index(f"cascade_{group}") for group in ("parse", "parse_pronoun", "parse_description", "pattern")]


def unnamed_source(rows: np.ndarray) -> bool:
    """Whether the verb of saying has a subject that names nobody of the article and the rules found no
    speaker either ("Officials met the union. ‘…,’ they said"; "a source close to the production said"):
    then the speaker is that unnamed source, and naming a candidate would be a guess. (Reported speech
    is left to the model: its cue's subject is the speaker, which the features already say.)"""
    return bool(rows[0, _UNRESOLVED]) and bool(rows[0, _CASCADE_NONE]) and not rows[0, _REPORTED]


def threshold_for(rows: np.ndarray, thresholds: tuple[float, float | None]) -> float:
    """The no-speaker threshold for a quote's rows, from (the threshold, the threshold for cued quotes): none
    for reported speech, whose verb of saying has a subject by construction (``attribution.reported_speech``),
    so who speaks is in question, not whether; the cued one where the quote's own verb of saying has a subject
    the rules resolved to someone of the article ("…," Vitter demanded), where, again, a speaker is due and the
    ranker weighs who; the first for the rest (no cue, or a speaker carried over from context), where whether
    anyone of the article speaks is in question too."""
    threshold, cued = thresholds
    if rows[0, _REPORTED]:
        return 0.0
    if cued is not None and rows[:, _CUED].any():
        return cued
    return threshold


@functools.lru_cache(maxsize=1)
def speaker_model() -> SpeakerModel | None:
    """The shipped model, or None when none is shipped (the cascade's choice then stands)."""
    if not MODEL_FILE.exists():
        return None
    return SpeakerModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def cascade_shares(quotes: Sequence[QuoteView]) -> dict[str, float]:
    spoken = Counter(q.cascade_entity_id for q in quotes if q.cascade_entity_id)
    total = sum(spoken.values())
    return {eid: n / total for eid, n in spoken.items()} if total else {}
