"""Industry events stated in an article: box office, release dates, casting, hiring, production
status, deals and awards, one ``Event`` each.

The rules are data (``event_patterns.yml``): spaCy ``Matcher`` patterns over lemmas find the word
that states an event (the trigger); the parse the entity and quote rules read (the same ``Doc``,
no second pass) says who and what it is about: the article's resolved mentions nearest to the
trigger in the dependency tree (its subject, its object, their conjuncts), MONEY and DATE spans of
the model made an amount and a date (``event_dates``). A trigger negated, asked or hypothetical
("was not renewed", "would play") states no event, and a participle used as an epithet ("the
cancelled show", "Oscar-winning") neither; hedges and attributions set ``certainty``. The same event
restated in the article is one row, filled from its fullest statement (docs/events_annotation.md).
A box-office table written as lines states its figures with no verb: its lines are read through the
paragraphs and the parse (``_table_events``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

from .event_dates import SEASON_END as SEASONS, parse_money, resolve_date, weekend_of_report
from .given_names import may_refer_to
from .paragraphs import paragraph_spans
from .recognizers import doc_text

EVENT_PATTERNS_FILE = Path(__file__).resolve().parent / "event_patterns.yml"

# How far (edges of the dependency tree) an entity may stand from the trigger and still be what the
# event is about: a subject or object is 1–2, a name in a prepositional phrase 2–3.
MAX_DISTANCE = {"TITLE": 5, "PERSON": 4, "ORG": 3}
# Below this a sum is a prize, a ticket or a fee, not a film's takings or budget.
MIN_BOX_OFFICE = 10_000
# An event dated this long before its article is history (a past release, an old award): the
# annotation guide counts it optional at best, and a reader of the news does not ask for it.
HISTORY = dt.timedelta(days=540)
# Nouns that stand for the article's film or show ("the film opened to …", "the series was renewed").
WORK_NOUNS = frozenset("film movie picture pic feature series show sequel prequel reboot remake drama comedy "
                       "documentary thriller franchise installment instalment season release it its".split())
_FUTURE_HEADS = frozenset("set tap cast sign hire attach slate expect talk negotiation eye board join plan "
                          "choose pick enlist recruit bring name land go poise due return".split())
_EVENT_FIELDS = ("title_entity_id", "person_entity_id", "org_entity_id", "role", "amount", "currency", "amount_kind",
                 "territory", "event_date", "status", "award", "category")


@dataclass(frozen=True)
class Event:
    kind: str
    evidence: str
    evidence_start: int
    evidence_end: int
    rule: str
    certainty: str = "stated"
    title_entity_id: str | None = None
    person_entity_id: str | None = None
    org_entity_id: str | None = None
    role: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_kind: str | None = None
    territory: str | None = None
    event_date: dt.date | None = None
    date_precision: str | None = None
    status: str | None = None
    award: str | None = None
    category: str | None = None

    def key(self) -> tuple:
        """What makes two statements one event (docs/events_annotation.md, "One event, once")."""
        return (self.kind, self.title_entity_id, self.person_entity_id, self.org_entity_id, self.award,
                self.category, self.amount_kind)

    def filled(self) -> int:
        return sum(getattr(self, name) is not None for name in _EVENT_FIELDS)


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str
    status: str | None
    needs: frozenset
    no_money: bool
    head_lemmas: frozenset


@functools.lru_cache(maxsize=1)
def event_patterns() -> dict:
    return yaml.safe_load(EVENT_PATTERNS_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _lexicons() -> dict:
    data = event_patterns()
    awards = sorted(data["awards"], key=len, reverse=True)
    amount_cues = {word: kind for kind, words in data["amount_kinds"].items() for word in words}
    return {
        "rules": {rule["name"]: _Rule(rule["name"], rule["kind"], rule.get("status"), frozenset(rule.get("needs", ())),
                                      bool(rule.get("no_money")), frozenset(rule.get("head_lemmas", ())))
                  for rule in data["rules"]},
        "rumoured": frozenset(data["certainty"]["rumoured"]),
        "reported": frozenset(data["certainty"]["reported"]),
        "not_an_event": frozenset(data["not_an_event"]),
        "jobs": data["jobs"],
        "person_as_object": frozenset(data["person_as_object"]),
        "cast_nouns": frozenset(data["cast_nouns"]),
        "release_nouns": frozenset(data["release_nouns"]),
        "two_word_jobs": data["two_word_jobs"],
        "job_verbs": data["job_verbs"],
        "awards": re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in awards) + r")(?![\w-])"),
        "amount_cues": amount_cues,
        "territories": data["territories"],
        "currencies": data["currencies"],
        "table_cues": frozenset(data["box_office_tables"]["lead_cues"]),
        "industry_words": frozenset(data["industry_words"]),
        "table_other_words": data["box_office_tables"]["most_other_words"],
        "table_label_words": data["box_office_tables"]["most_label_words"],
    }


_MATCHERS: dict = {}


def _matcher(vocab):
    """The Matcher of every rule's pattern, built once per vocabulary (one per loaded model)."""
    key = id(vocab)
    if key not in _MATCHERS:
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        for rule in event_patterns()["rules"]:
            matcher.add(rule["name"], [rule["pattern"]])
        _MATCHERS[key] = (vocab, matcher)
    return _MATCHERS[key][1]


def warm_up(vocab) -> None:
    """Build the Matcher and load dateparser's language data (~0.1 s) before the first article."""
    _matcher(vocab)
    resolve_date("March 5, 2001", dt.date(2000, 1, 1), True)


# ---------------------------------------------------------------- the parse


def _path_to_root(token) -> list:
    path = [token]
    while path[-1].head.i != path[-1].i and len(path) < 64:
        path.append(path[-1].head)
    return path


def tree_distance(a, b) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    if a.i == b.i:
        return 0
    depth_of = {token.i: depth for depth, token in enumerate(_path_to_root(a))}
    for depth, token in enumerate(_path_to_root(b)):
        if token.i in depth_of:
            return depth + depth_of[token.i]
    return 99


def _trigger_of(span):
    """The word of a matched pattern that states the event: its first verb, else its first noun."""
    for pos in (("VERB", "AUX"), ("NOUN", "ADJ", "PROPN")):
        for token in span:
            if token.pos_ in pos:
                return token
    return span[0]


def _clause_verb(trigger):
    """The verb whose clause holds the trigger: itself, or the verb a noun trigger hangs from."""
    token = trigger
    for _ in range(3):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return token
        token = token.head
    return token


def _is_negated_or_hypothetical(trigger, lex) -> bool:
    verb = _clause_verb(trigger)
    # The trigger's clause and the one it completes: "if she were to play", "whether it will open".
    # A complement comes after its verb: a clause before the verb it hangs from is the parser joining
    # two clauses across a semicolon ("X has earned $286m; it doesn't need ..."), and that verb's "not"
    # is not the trigger's.
    completes = verb.dep_ == "xcomp" or (verb.dep_ == "ccomp" and verb.head.i < verb.i)
    for token in {trigger, verb, verb.head if completes else verb}:
        for child in token.children:
            if child.dep_ in ("neg", "mark", "aux") and child.lower_ in lex["not_an_event"]:
                if child.lower_ == "would" and _is_reported(token):
                    continue  # "confirmed that it would release the book April 7": the future of a report
                return True
            if child.dep_ == "det" and child.lower_ == "no":
                return True
    if trigger.i > 0 and trigger.doc[trigger.i - 1].lemma_ in ("have", "be"):
        return False  # "has greenlit X": a verb the parser took for an adjective
    return trigger.dep_ == "amod" or (trigger.tag_ in ("VBN", "VBG") and trigger.dep_ in ("amod", "compound"))


_REPORTING = frozenset("say confirm announce tell report reveal add state note explain expect plan".split())


def _is_reported(token) -> bool:
    return any(ancestor.lemma_ in _REPORTING for ancestor in token.ancestors)


def _is_future(trigger) -> bool:
    """"Will play", "set to star", "in talks to helm", "is to direct": a part or job to come, not a
    past credit, nor a wish ("wants to play") or a narration ("scored to the song")."""
    if any(child.dep_ == "aux" and child.lower_ in ("will", "'ll", "shall", "gonna", "wo") for child in trigger.children):
        return True
    if any(child.dep_ == "aux" and child.lower_ == "would" for child in trigger.children) and _is_reported(trigger):
        return True
    infinitive = any(child.dep_ == "aux" and child.tag_ == "TO" for child in trigger.children)
    return infinitive and trigger.dep_ in ("xcomp", "advcl", "acl", "ccomp") and (
        trigger.head.lemma_ in _FUTURE_HEADS or (trigger.head.lemma_ == "be" and trigger.dep_ == "xcomp"))


def _upcoming(trigger, sentence, published) -> bool:
    """"She co-stars in the upcoming X", "this fall she plays a recurring role": the present tense of
    a part still to come, said by a word of the future or a date not yet past."""
    if not _present_tense(trigger) or (trigger.tag_ == "VBG" and trigger.dep_ in ("amod", "acl", "pcomp")):
        return False
    words = [token.lower_ for token in sentence]
    if any(word in ("upcoming", "forthcoming", "next", "new") for word in words):
        return True
    # "this fall", "this spring": the model does not always call them dates.
    if any(word in ("this", "next") and following in SEASONS for word, following in zip(words, words[1:])):
        return True
    if published is None:
        return False
    for ent in sentence.ents:
        resolved = resolve_date(_date_text(ent), published, True) if ent.label_ == "DATE" else None
        if resolved is None:
            continue
        day, precision = resolved
        now = {"year": dt.date(published.year, 1, 1), "month": published.replace(day=1)}.get(precision, published)
        if day >= now:
            return True
    return False


def _present_tense(trigger) -> bool:
    if trigger.tag_ in ("VBZ", "VBP", "VBG"):
        return True
    # "co-stars" split by the tokenizer into "co" "-" "stars": the last part carries the tense, and
    # the tagger, reading it apart, calls it a plural noun.
    if _is_co_star(trigger) and trigger.lower_ == "co":
        inflected = trigger.doc[trigger.i + 2].lower_
        return inflected.endswith("s") or inflected.endswith("ing")
    return False


def _certainty(sentence, lex) -> str:
    if getattr(sentence, "certainty", None) is None:
        sentence.certainty = _certainty_of(sentence, lex)
    return sentence.certainty


def _certainty_of(sentence, lex) -> str:
    # Words inside a name ("May 22", "Source Code") hedge nothing.
    words = [token for token in sentence if not token.ent_type_]
    lemmas = {token.lemma_.lower() for token in words} | {token.lower_ for token in words}
    if lemmas & lex["rumoured"]:
        return "rumoured"
    if lemmas & lex["reported"]:
        return "reported"
    return "stated"


# ---------------------------------------------------------------- the article's mentions


@dataclass(frozen=True)
class _Placed:
    """A mention with the token that heads it in the parse."""

    start: int
    end: int
    entity_type: str
    entity_id: str
    root: object
    name: str = ""


# A mention the model reads as one of these is no party to an event, whatever type it was given:
# "April 7" is no title, "Puerto Ricans" no person.
_NOT_A_PARTY = {"TITLE": {"DATE", "TIME", "MONEY", "CARDINAL", "PERCENT"}, "PERSON": {"NORP", "DATE", "MONEY"},
                "ORG": {"DATE", "MONEY"}}


def _placed_mentions(doc, mentions) -> list[_Placed]:
    placed = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span) or span.root.ent_type_ in _NOT_A_PARTY.get(mention.entity_type, ()):
            continue
        placed.append(_Placed(mention.start, mention.end, mention.entity_type, mention.entity_id, span.root,
                              getattr(mention, "name", "")))
    return placed


def _anchors(trigger) -> tuple:
    """Where the event's entities hang from: the trigger, and for a noun ("the acquisition of",
    "distribution rights to") the verb of its clause too."""
    if trigger.pos_ in ("VERB", "AUX"):
        return (trigger,)
    verb = _clause_verb(trigger)
    return (trigger, verb) if verb.i != trigger.i else (trigger,)


def _nearest(candidates: list[_Placed], trigger, entity_type: str, exclude: Sequence[tuple[int, int]] = (),
             max_distance: int | None = None) -> _Placed | None:
    limit = MAX_DISTANCE[entity_type] if max_distance is None else max_distance
    best, best_key = None, None
    for mention in candidates:
        if mention.entity_type != entity_type or any(s < mention.end and mention.start < e for s, e in exclude):
            continue
        distance = min(tree_distance(anchor, mention.root) for anchor in _anchors(trigger))
        # (a company saying it is who decides: "CBS said it was canceling T"; a work is not)
        if distance > limit or (entity_type == "TITLE" and _in_another_clause(trigger, mention.root)):
            continue
        key = (distance, abs(mention.root.i - trigger.i))
        if best_key is None or key < best_key:
            best, best_key = mention, key
    if best is not None and entity_type == "TITLE":
        return _work_named_beside(best, candidates) or best
    return best


# Edges that open a clause of its own: a reported one ("said … that it would release"), one beside.
_CLAUSE_EDGES = frozenset(("ccomp", "parataxis"))


def _in_another_clause(trigger, token) -> bool:
    """Whether ``token`` hangs on a clause the trigger's is reported by or set beside: "said during an
    interview on T that we will release our records" releases no T."""
    path = _path_to_root(trigger)
    above = {t.i for t in _path_to_root(token)}
    for t in path:
        if t.i in above:
            return False
        if t.dep_ in _CLAUSE_EDGES and t.head.i in above and t.head.i != token.i:
            return True
    return False


def _work_named_beside(title: _Placed, candidates: list[_Placed]) -> _Placed | None:
    """"A new Star Wars film, The Rise of Skywalker": a title that only qualifies a work noun names
    its franchise; the title in apposition to the noun names the work."""
    noun = title.root.head
    if title.root.dep_ not in ("compound", "nmod", "amod") or noun.lemma_.lower() not in WORK_NOUNS:
        return None
    return next((m for m in candidates if m.entity_type == "TITLE" and m is not title and m.root.dep_ == "appos"
                 and m.root.head.i == noun.i), None)


def _with_conjuncts(first: _Placed, candidates: list[_Placed]) -> list[_Placed]:
    """The mention and those joined to it ("X, Y and Z have joined"): a cast list of four is four events."""
    conjunct_ids = {token.i for token in first.root.conjuncts}
    return [first] + [m for m in candidates if m.entity_type == first.entity_type and m is not first
                      and m.root.i in conjunct_ids]


# ---------------------------------------------------------------- fields


def _job(trigger, sentence, lex) -> str | None:
    """The job a hiring names, from a job noun near the trigger ("as showrunner", "named president")
    or a verb of the job ("to direct")."""
    near = [trigger] + [t for t in trigger.children if t.dep_ not in ("relcl", "acl", "conj", "ccomp")]
    near += [g for t in list(near[1:]) for g in t.children if g.dep_ not in ("relcl", "acl", "conj", "ccomp")]
    # "joined as a star and producer": every noun of the "as" phrase.
    near += [t for t in _as_phrase(trigger) if t not in near]
    # "tapped to direct", "named president": the word the trigger completes; a clause merely
    # hung on another verb ("she wrote about it after she left") takes no job from that verb.
    if trigger.dep_ in ("xcomp", "oprd", "attr") or (trigger.dep_ in ("acl", "advcl") and trigger.head.pos_ in ("NOUN", "PROPN")):
        near.append(trigger.head)
    for token in sorted(near, key=lambda t: abs(t.i - trigger.i)):
        if token.i + 1 < sentence.end:
            pair = f"{token.lower_} {token.doc[token.i + 1].lower_}"
            if pair in lex["two_word_jobs"]:
                return lex["two_word_jobs"][pair]
        if token.i > sentence.start:
            pair = f"{token.doc[token.i - 1].lower_} {token.lower_}"
            if pair in lex["two_word_jobs"]:
                return lex["two_word_jobs"][pair]
        if token.pos_ in ("NOUN", "PROPN") and token.lower_ in lex["jobs"]:
            if token.dep_ in ("nsubj", "nsubjpass") and token.i != trigger.i:
                return "unnamed"  # "the director left": a description of someone, not a named person
            return lex["jobs"][token.lower_]
        if token.pos_ == "VERB" and token.lemma_ in lex["job_verbs"]:
            return lex["job_verbs"][token.lemma_]
    return None


def _phrase_head_text(head) -> str | None:
    """A noun phrase's words up to where a modifier clause, a preposition or a list begins: "the ship's
    captain" of "the ship's captain who returns in the sequel"."""
    start = min(t.i for t in head.subtree)
    end = start
    for t in sorted(head.subtree, key=lambda t: t.i):
        if t.dep_ in ("prep", "relcl", "acl", "punct", "cc") and t.i != head.i:
            break
        end = t.i + 1
    return head.doc[start:end].text.strip() or None


def _character(trigger, placed_people: set[int]) -> str | None:
    """Casting: the part after "as" ("cast as the ship's captain"), or what is played ("will play the
    ship's captain"), when it is not a job."""
    if trigger.lemma_ in ("play", "portray", "voice"):
        for child in trigger.children:
            # "plays a recurring role" names no part.
            if child.dep_ == "dobj" and child.ent_type_ not in ("WORK_OF_ART",) and child.i not in placed_people \
                    and child.lemma_ not in ("role", "part", "lead", "character", "cameo"):
                return _phrase_head_text(child)
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if objects and objects[0].lemma_.lower() in _lexicons()["cast_nouns"]:
                return None  # "as a star": a place in the cast, no part named
            if objects:
                return _phrase_head_text(objects[0])
    return None


def _category(sentence) -> tuple[int, int] | None:
    """(start, end) characters of the first award category the sentence names ("best actress")."""
    matches = _category_matcher(sentence.doc.vocab)(sentence.span)
    if not matches:
        return None
    _, start, end = min(matches, key=lambda match: (match[1], -match[2]))
    doc = sentence.doc
    base = sentence.start
    start, end = base + start, min(base + end, base + start + event_patterns()["award_category"]["most_tokens"])
    # A dash between spaces ends it ("best actor - drama"); one inside a word does not ("comedy-drama").
    end = next((t.i for t in doc[start + 1:end] if t.text == "-" and doc[t.i - 1].whitespace_), end)
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1])) if end - start > 1 else None


_CATEGORY_MATCHERS: dict = {}


def _category_matcher(vocab):
    key = id(vocab)
    if key not in _CATEGORY_MATCHERS:
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        matcher.add("award_category", [event_patterns()["award_category"]["pattern"]], greedy="LONGEST")
        _CATEGORY_MATCHERS[key] = (vocab, matcher)
    return _CATEGORY_MATCHERS[key][1]


def _money_text(money, lex) -> str:
    """A MONEY span with the sign or multiplier the model left beside it ("$" + "286", "$150" + "m")."""
    doc = money.doc
    start, end = money.start, money.end
    if start > 0 and doc[start - 1].text in lex["currencies"]["signs"]:
        start -= 1
    if end < len(doc) and doc[end].lower_ in lex["currencies"]["multipliers"]:
        end += 1
    return doc[start:end].text


def _amount_kind(doc, money, sentence, trigger, lex) -> str | None:
    """The nearest word saying what a sum is, within the sentence (a trigger "opened" counts)."""
    best, best_distance = None, None
    window = range(max(sentence.start, money.start - 10), min(sentence.end, money.end + 8))
    for i in window:
        if money.start <= i < money.end:
            continue
        token = doc[i]
        candidates = [token.lower_]
        if i + 1 < sentence.end:
            candidates.append(f"{token.lower_} {doc[i + 1].lower_}")
        for word in candidates:
            kind = lex["amount_cues"].get(word)
            if kind is not None:
                distance = money.start - i if i < money.start else i - money.end + 1
                if best_distance is None or distance < best_distance:
                    best, best_distance = kind, distance
    if best is None and trigger.lemma_ in ("open", "debut", "bow", "launch", "premiere"):
        return "opening_weekend"
    return best


def _territory(sentence, lex, skip: Sequence[tuple[int, int]] = ()) -> str | None:
    text = sentence.text.lower()
    for word, territory in lex["territories"].items():
        for match in re.finditer(rf"(?<![\w.]){re.escape(word)}(?![\w])", text):
            at = sentence.start_char + match.start()
            if not any(s <= at < e for s, e in skip):
                return territory
    return None


def _date_text(ent) -> str:
    """A DATE span with the day the parser cut off after an abbreviated month ("Dec." | "31"): the
    model reads the abbreviation's full stop as the end of a sentence; with the "in" before a length
    of time."""
    doc = ent.doc
    if ent.end < len(doc) and ent[-1].text.endswith(".") and doc[ent.end].like_num and len(doc[ent.end].text) <= 2:
        return doc[ent.start:ent.end + 1].text
    # "in | a scant six weeks": the model leaves out the "in" that makes a length of time a date to come.
    if ent.start > 0 and doc[ent.start - 1].lower_ == "in" and ent[-1].lemma_.lower() in ("day", "week", "month", "year"):
        return doc[ent.start - 1:ent.end].text
    return ent.text


def _date_for(sentence, trigger, published, future, change: bool = False) -> tuple[dt.date, str] | None:
    """The DATE span of the trigger's phrase, else the nearest, resolved. For a change of date the new
    one counts: the span after "to" rather than "from", the end of a range "from March 6 to May 22"."""
    dates = [ent for ent in sentence.ents if ent.label_ == "DATE"]
    if change:
        dates = [ent for ent in dates if ent.start == 0 or ent.doc[ent.start - 1].lower_ not in ("from", "than")] or dates
    # A date the trigger's phrase holds before one merely near it: "with its death count in March
    # and the debut of Season 2 in April".
    dates.sort(key=lambda ent: (not trigger.is_ancestor(ent.root), min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))))
    for ent in dates:
        text = _date_text(ent)
        parts = re.split(r"\s+(?:to|until|through|and)\s+|\s*[-–]\s*(?=[A-Za-z])", text)
        resolved = resolve_date(parts[-1] if change else parts[0], published, future)
        if resolved is None and len(parts) > 1:
            resolved = resolve_date(text, published, future)
        if resolved is not None:
            return resolved
    # "this fall", "next summer": the model does not always call them dates.
    words = [token.lower_ for token in sentence]
    for word, following in zip(words, words[1:]):
        if word in ("this", "next", "last") and following in SEASONS:
            return resolve_date(f"{word} {following}", published, future)
    return None


# ---------------------------------------------------------------- the extractor


def extract_events(text: str, doc, mentions: Sequence, published_date: dt.date | None = None) -> list[Event]:
    """The events ``text`` states, from its parsed ``doc`` and its resolved ``mentions`` (each with
    ``start``, ``end``, ``entity_type`` and ``entity_id``), dates resolved against ``published_date``."""
    lex = _lexicons()
    matches = _matcher(doc.vocab)(doc)
    monies = [ent for ent in doc.ents if ent.label_ == "MONEY"]
    if not matches and not monies:
        return []
    placed = _placed_mentions(doc, mentions)
    titles_in_order = [m for m in placed if m.entity_type == "TITLE"]
    sentences = _sentences(doc)
    starts = [sentence.start for sentence in sentences]
    found: list[Event] = []
    seen_triggers: set[tuple[str, int]] = set()
    # The longer of two patterns on one word says more: "moved up" before "moved".
    for match_id, start, end in sorted(matches, key=lambda match: (match[1], match[1] - match[2])):
        rule = lex["rules"][doc.vocab.strings[match_id]]
        trigger = _trigger_of(doc[start:end])
        if rule.head_lemmas:
            if trigger.head.lemma_ not in rule.head_lemmas:
                continue
            trigger = trigger.head
        if (rule.kind, trigger.i) in seen_triggers:
            continue
        if any(m.start <= trigger.idx < m.end for m in placed):
            continue  # "No Child Left Behind", "Release the Hounds": a word of a name states nothing
        sentence = sentences[bisect.bisect_right(starts, trigger.i) - 1]
        events = _read_trigger(rule, trigger, sentence, doc, placed, titles_in_order, published_date, lex)
        if events and rule.kind != "award" and not _quoted_title(doc, events, titles_in_order) \
                and not _in_the_industry(doc, sentence, trigger, lex):
            continue
        if published_date is not None and _is_history(sentence, trigger, events, published_date):
            continue
        if events:
            seen_triggers.add((rule.kind, trigger.i))
            found.extend(events)
    if monies:
        found.extend(_table_events(doc, placed, monies, published_date, lex))
    return _one_per_event(found)


class _Sentence:
    """A sentence of the Doc with its named entities, read once: ``Token.sent`` and ``Span.ents`` each
    walk the Doc from its start, which made them most of the events step's time."""

    def __init__(self, span, ents: list):
        self.span = span
        self.ents = ents
        self.certainty: str | None = None
        self.mentions: list | None = None

    def __getattr__(self, name):
        return getattr(self.span, name)

    def __iter__(self):
        return iter(self.span)


def _sentences(doc) -> list[_Sentence]:
    spans = list(doc.sents)
    starts = [span.start for span in spans]
    ents: list[list] = [[] for _ in spans]
    for ent in doc.ents:
        ents[bisect.bisect_right(starts, ent.start) - 1].append(ent)
    return [_Sentence(span, found) for span, found in zip(spans, ents)]


def _is_history(sentence, trigger, events: list[Event], published: dt.date) -> bool:
    """An event dated, or stated in a sentence dated, well before the article: "joined the cast in 2006",
    "released in 1995", a past film's gross."""
    if not events:
        return False
    dates = [e.event_date for e in events if e.event_date is not None]
    if not dates:
        stated = _date_for(sentence, trigger, published, False)
        dates = [stated[0]] if stated else []
    return bool(dates) and max(dates) < published - HISTORY


# Marks a work's title is written between (or opened by) in the trades: “Title”, "Title", ''Title'', *Title*.
_TITLE_MARKS = frozenset("“\"‘'«*_")
_TITLE_CLOSING_MARKS = frozenset("”\"’'»*_")


def _quoted_title(doc, events: list[Event], titles_in_order: list[_Placed]) -> bool:
    """The event's work is written as a title is, in quote marks, somewhere in the article: a name
    the entity stage typed as a title that is no work (a company, an agency, a party) is written bare."""
    ids = {e.title_entity_id for e in events if e.title_entity_id}
    text = doc_text(doc)
    return any(m.entity_id in ids and _between_marks(text, m.start, m.end) for m in titles_in_order)


def _between_marks(text: str, start: int, end: int) -> bool:
    """“Title”, “Title,” and ''Title.'': a mark before the name and one right after it (or after its
    comma or stop); a quotation that opens with a name ("Boatmen just bought …) is not a title."""
    if start == 0 or text[start - 1] not in _TITLE_MARKS:
        return False
    after = text[end:end + 3]
    # (a mark before a letter is an apostrophe: "Boatmen's")
    if after[:1] in _TITLE_CLOSING_MARKS:
        return not after[1:2].isalpha()
    return after[:1] in (",", ".", "!", "?", ";", ":") and after[1:2] in _TITLE_CLOSING_MARKS and not after[2:3].isalpha()


def _in_the_industry(doc, sentence, trigger, lex) -> bool:
    """The trigger's sentence or paragraph speaks of film, TV, music or the stage (docs/events_annotation.md:
    events outside the industry are none): "left the building", "appointed a Fed chairman", "released a
    memo" in news of politics or business say the same verbs of something else. An award's name is
    context enough."""
    words = lex["industry_words"]
    if _says_one_of(sentence.span, words):
        return True
    known = doc.user_data.setdefault("event_industry_paragraphs", {})
    start = _paragraph_start(doc, trigger.i)
    starts = doc.user_data["event_paragraph_starts"]
    # The headline and the lede say what the whole article is about ("Box office: ...").
    if any(_paragraph_in_the_industry(doc, lead, known, words) for lead in starts[:_LEAD_PARAGRAPHS]):
        return True
    return _paragraph_in_the_industry(doc, start, known, words)


_LEAD_PARAGRAPHS = 2


def _paragraph_in_the_industry(doc, start: int, known: dict, words) -> bool:
    if start not in known:
        starts = doc.user_data["event_paragraph_starts"]
        after = bisect.bisect_right(starts, start)
        end = starts[after] if after < len(starts) else len(doc)
        known[start] = _says_one_of(doc[start:end], words)
    return known[start]


def _says_one_of(tokens, words) -> bool:
    """Whether the tokens write one of ``words`` (lower case, one word or two: "box office")."""
    previous = None
    for token in tokens:
        if token.lower_ in words or token.lemma_.lower() in words \
                or (previous is not None and f"{previous.lower_} {token.lower_}" in words):
            return True
        previous = token
    return False


def _read_trigger(rule: _Rule, trigger, sentence, doc, placed, titles_in_order, published, lex) -> list[Event]:
    if _is_negated_or_hypothetical(trigger, lex):
        return []
    if sentence.mentions is None:
        # Once per sentence: a sentence holds several triggers.
        sentence.mentions = [m for m in placed if sentence.start_char <= m.start and m.end <= sentence.end_char]
    in_sentence = sentence.mentions
    if _is_question(sentence, in_sentence):
        return []  # "Was she a fan before she joined the show?": an interviewer asks, the article states nothing
    monies = [ent for ent in sentence.ents if ent.label_ == "MONEY"]
    if rule.no_money and monies:
        return []
    if "money" in rule.needs and not monies:
        return []
    for need, words in (("release_context", _RELEASE_CONTEXT), ("series_context", _SERIES_CONTEXT)):
        if need in rule.needs and not any(t.lemma_.lower() in words for t in sentence if t.i != trigger.i) \
                and not (need == "release_context" and _work_is_subject(trigger, in_sentence)):
            return []  # "the store opens on May 5"; but a work that opens or arrives is released
    if "date" in rule.needs and not any(ent.label_ == "DATE" for ent in sentence.ents):
        return []
    if "release_object" in rule.needs and not _acts_on_release(trigger, lex):
        return []
    if "for_season" in rule.needs and not _for_a_season(trigger):
        return []
    if "work_attr" in rule.needs and not any(c.dep_ == "attr" and c.pos_ == "NOUN" and c.lemma_.lower() in WORK_NOUNS
                                             for c in trigger.children):
        return []  # "there will be a vote on Friday": nothing released
    if rule.kind == "deal" and _for_a_season(trigger):
        return []  # "picked up for a second season": a renewal, not a purchase
    if "present" in rule.needs and trigger.tag_ not in ("VBG", "VBZ", "VBP") and not _is_future(trigger):
        return []
    future = _is_future(trigger) or trigger.tag_ in ("VBZ", "VBP", "VB")
    if "future" in rule.needs and not _is_future(trigger) \
            and not (rule.kind == "casting" and _upcoming(trigger, sentence, published)):
        return []  # a job in the present tense ("she writes in her book") is no hiring
    # Doc.text joins every token anew: the sentence's own text is sliced instead.
    written = sentence.text
    evidence = written.strip()
    evidence_start = sentence.start_char + (len(written) - len(written.lstrip()))
    evidence_end = evidence_start + len(evidence)
    base = dict(kind=rule.kind, evidence=evidence, evidence_start=evidence_start,
                evidence_end=evidence_end, rule=rule.name, certainty=_certainty(sentence, lex), status=rule.status)
    kind = rule.kind
    if kind == "box_office":
        return _box_office(rule, trigger, sentence, doc, in_sentence, titles_in_order, monies, lex, base, published)
    if kind == "release_date":
        return _release(rule, trigger, sentence, in_sentence, titles_in_order, published, future, lex, base)
    if kind in ("casting", "hiring"):
        people_in_order = [m for m in placed if m.entity_type == "PERSON"]
        return _people(rule, trigger, sentence, in_sentence, people_in_order, titles_in_order, published, lex, base)
    if kind == "production_status":
        if _acts_on_release(trigger, lex):
            return []  # "cancelled the release": a release pulled, not a production (release_pulled)
        title = _nearest(in_sentence, trigger, "TITLE") or _work_in_context(trigger, titles_in_order)
        if title is None:
            return []
        org = _nearest(in_sentence, trigger, "ORG")
        date = _date_for(sentence, trigger, published, future)
        return [Event(**base, title_entity_id=title.entity_id, org_entity_id=org.entity_id if org else None,
                      event_date=date[0] if date else None, date_precision=date[1] if date else None)]
    if kind == "deal":
        return _deal(trigger, sentence, in_sentence, monies, published, lex, base)
    if kind == "award":
        return _award(trigger, sentence, in_sentence, [m for m in placed if m.entity_type == "PERSON"], titles_in_order,
                      published, lex, base)
    return []


def _is_question(sentence, in_sentence: list[_Placed]) -> bool:
    """A sentence that ends in a question mark of its own: not one inside quote marks (a quoted
    question, a title: "“What Now?”") nor one closing a title written plainly."""
    last = next((t for t in reversed(sentence.span) if not t.is_space), None)
    return last is not None and last.text == "?" and not any(m.start <= last.idx < m.end for m in in_sentence)


def _work_is_subject(trigger, in_sentence: list[_Placed]) -> bool:
    return any(m is not None and m.entity_type == "TITLE" for m in (_mention_at(t, in_sentence) for t in _subjects(trigger)))


def _for_a_season(trigger) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(o.dep_ == "pobj" and o.lemma_.lower() in ("season", "series", "run")
                                                              for o in c.children) for c in trigger.children)


def _acts_on_release(trigger, lex) -> bool:
    """The trigger's object (or passive subject) is a release: "cancelled the release", "the
    premiere was scrapped"."""
    return any(t.dep_ in ("dobj", "nsubjpass") and t.lemma_.lower() in lex["release_nouns"] for t in trigger.children)


def _work_in_context(trigger, titles_in_order: list[_Placed]) -> _Placed | None:
    """A trigger whose subject or object is "the film", "the series", "the release", "it": the title
    the paragraphs around it name."""
    verb = _clause_verb(trigger)
    near = [trigger, *verb.children, *trigger.children]
    near += [grandchild for t in near[1:] if t.dep_ == "prep" for grandchild in t.children]
    words = [t for t in near if t.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "pobj") and t.i != trigger.i]
    if not any(_is_anaphoric_work(t) for t in words):
        return None
    before = [m for m in titles_in_order if m.end <= trigger.idx]
    if not before:
        return None
    # Of the titles of this paragraph and the one before ("Remember Bad Moms? Its domestic take …"),
    # the one the article names most: "the film" is what the article is about more often than a
    # title named in passing (a comparison, a past film of its director, a book mentioned once);
    # past those paragraphs, the article's most named title before it.
    counts: dict[str, int] = {}
    for mention in titles_in_order:
        counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
    paragraph = _paragraph_start(trigger.doc, trigger.i)
    previous = _paragraph_start(trigger.doc, paragraph - 1) if paragraph > 0 else -1
    near_titles = [m for m in before if m.root.i >= max(previous, 0)]
    if not near_titles:
        # A list article's section is about the work its heading names ("“Harbor Lights” with Maya
        # Okafor", then paragraphs of "the series", "Season 2").
        heading_title = _section_heading_title(trigger.doc, trigger.idx, titles_in_order)
        if heading_title is not None:
            return heading_title
    return max(reversed(near_titles or before), key=lambda m: counts[m.entity_id])


# A heading is a short paragraph that does not end as a sentence does.
_MOST_HEADING_WORDS = 10


def _section_heading_title(doc, at: int, titles_in_order: list[_Placed]) -> _Placed | None:
    """The one title the nearest heading above character ``at`` names, if it names one."""
    text = doc_text(doc)
    for start, end in reversed([(s, e) for s, e in _paragraphs(doc) if e <= at]):
        paragraph = text[start:end].strip()
        if not paragraph or len(paragraph.split()) > _MOST_HEADING_WORDS or paragraph[-1] in ".!?:;\"”'’":
            continue
        named = {m.entity_id: m for m in titles_in_order if start <= m.start and m.end <= end}
        return next(iter(named.values())) if len(named) == 1 else None
    return None


# What makes "film" another film than the one the article is about: "his third 007 film", "a new
# film", "their next movie", "other films".
_OTHER_WORK_WORDS = frozenset("new next upcoming latest last previous other another first second third fourth fifth "
                              "earlier later recent former debut".split())


_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth final last new next".split())


def _is_anaphoric_work(token) -> bool:
    """"The film", "the series", "it", "its": a word that stands for a work already named. A plural, a
    work with its own possessor, ordinal or "new" ("his third film"), or one without "the" ("a film")
    names another."""
    if token.lower_ in ("it", "its"):
        # As an object "it" is mostly no work ("leaving it to his niece", "made it"): only "it"
        # doing or undergoing the event ("it opened to", "it was renewed") and "its" stand for one.
        return token.lower_ == "its" or token.dep_ in ("nsubj", "nsubjpass")
    if token.lemma_.lower() not in WORK_NOUNS or token.tag_ in ("NNS", "NNPS"):
        return False
    if token.lower_ == "season" and any(c.like_num or c.lower_ in _ORDINALS for c in token.children):
        return True  # "Season 2", "its third season": a season of the show named, not another work
    determiners = [c for c in token.children if c.dep_ in ("det", "poss")]
    if not determiners or any(d.lower_ not in ("the", "this", "that", "its") for d in determiners):
        return False
    return not any(c.dep_ in ("amod", "nummod", "compound") and (c.lower_ in _OTHER_WORK_WORDS or c.like_num)
                   for c in token.children)


def _paragraphs(doc) -> list[tuple[int, int]]:
    """The Doc's paragraphs (``paragraphs.paragraph_spans``, what the other stages read), found once a Doc."""
    spans = doc.user_data.get("event_paragraph_spans")
    if spans is None:
        spans = doc.user_data["event_paragraph_spans"] = paragraph_spans(doc_text(doc))
    return spans


def _paragraph_start(doc, i: int) -> int:
    """The index of the first token of token ``i``'s paragraph (the paragraphs the other stages read)."""
    starts = doc.user_data.get("event_paragraph_starts")
    if starts is None:
        token_starts = [token.idx for token in doc]
        starts = sorted({bisect.bisect_left(token_starts, start) for start, _ in _paragraphs(doc)} - {len(doc)})
        doc.user_data["event_paragraph_starts"] = starts = starts or [0]
    return starts[max(bisect.bisect_right(starts, i) - 1, 0)]


def _subjects(token) -> list:
    """The subjects of a token's clause; for a clause that has none of its own ("while also starring
    in X", "agreed to play Y", "joined and will produce"), the subjects of the clause it hangs from."""
    verb = _clause_verb(token)
    for _ in range(3):
        found = [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")]
        if found or verb.dep_ not in ("advcl", "xcomp", "conj", "pcomp") or verb.head.i == verb.i:
            return found
        # "urged her to join": the object of the verb above is who joins.
        objects = [t for t in verb.head.children if t.dep_ == "dobj"] if verb.dep_ == "xcomp" else []
        if objects:
            return objects
        verb = verb.head
    return []


_PERSONAL_PRONOUNS = frozenset(("she", "he", "her", "his", "him"))


def _person_in_context(trigger, people_in_order: list[_Placed], other_than: frozenset = frozenset()) -> _Placed | None:
    """A trigger whose person is a pronoun: "she" or "he" as the subject of its clause, "him" or
    "her" as what is cast, "his" or "her" as whose the trigger is ("her nomination", "a nomination
    for his portrayal"): of the people named in this paragraph and the one before whose given name
    fits the pronoun, the one the article names most (a profile names its subject, then says "she"
    for paragraphs)."""
    words = list(_subjects(trigger))
    words += [t for t in trigger.children if t.dep_ == "poss"
              or (t.dep_ == "dobj" and trigger.lemma_ in _lexicons()["person_as_object"])]
    words += [g for t in trigger.children if t.dep_ == "prep" for o in t.children if o.dep_ == "pobj"
              for g in o.children if g.dep_ == "poss"]
    pronouns = [t.lower_ for t in words if t.lower_ in _PERSONAL_PRONOUNS]
    if not pronouns:
        return None
    paragraph = _paragraph_start(trigger.doc, trigger.i)
    previous = _paragraph_start(trigger.doc, paragraph - 1) if paragraph > 0 else 0
    near = [m for m in people_in_order if m.end <= trigger.idx and m.root.i >= previous and m.entity_id not in other_than
            and may_refer_to(pronouns[0], m.name)]
    if not near:
        return None
    # Of those, the one the article names most: a profile's subject over a name in passing.
    counts: dict[str, int] = {}
    for mention in people_in_order:
        counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
    return max(reversed(near), key=lambda m: counts[m.entity_id])


def _box_office(rule, trigger, sentence, doc, in_sentence, titles_in_order, monies, lex, base, published) -> list[Event]:
    title = _nearest(in_sentence, trigger, "TITLE") or _work_in_context(trigger, titles_in_order)
    if title is None:
        return []
    org = _nearest(in_sentence, trigger, "ORG")
    events = []
    for money in monies:
        if tree_distance(trigger, money.root) > 4:
            continue
        parsed = parse_money(_money_text(money, lex), lex["currencies"])
        if parsed is None:
            continue
        amount, currency = parsed
        if amount < MIN_BOX_OFFICE:
            continue
        amount_kind = _amount_kind(doc, money, sentence, trigger, lex)
        if amount_kind is None:
            amount_kind = "domestic_total"
        date = _date_for(sentence, trigger, published, False)
        territory = _territory(sentence, lex, skip=[(m.start, m.end) for m in in_sentence if m.entity_type != "PLACE"])
        if amount_kind in ("domestic_total", "worldwide_total", "opening_weekend") and territory in ("Canada",):
            territory = None
        if territory is not None and amount_kind == "domestic_total":
            amount_kind = "international_total"
        events.append(Event(**base, title_entity_id=title.entity_id, org_entity_id=org.entity_id if org else None,
                            amount=amount, currency=currency, amount_kind=amount_kind,
                            territory=territory if amount_kind == "international_total" else None,
                            event_date=date[0] if date else None, date_precision=date[1] if date else None))
    return events


# ---------------------------------------------------------------- box-office tables


@dataclass
class _Line:
    """A line of the text (a paragraph, or a line of one) as a box-office table reads it."""

    span: object
    shape: str  # "row" (a title and its figures), "cell" ("Label: value"), "title" (a title alone), "heading", "prose"
    title: _Placed | None = None
    org: _Placed | None = None
    monies: tuple = ()
    words: tuple = ()  # a row's or a cell label's own words: where a figure's kind is said first


def _text_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line with words: the paragraphs the other stages read, cut at single
    line breaks (a list or a table the cleaning kept in one paragraph)."""
    lines = []
    for start, end in paragraph_spans(text):
        at = start
        for part in text[start:end].split("\n"):
            stripped = part.strip()
            if stripped:
                first = at + len(part) - len(part.lstrip())
                lines.append((first, first + len(stripped)))
            at += len(part) + 1
    return lines


def _is_filler(token, lex) -> bool:
    """Punctuation, a rank, a sign or a bar: what a table row holds besides its words."""
    # (the tagger reads a bar between cells as anything, a noun or an adverb)
    return token.is_punct or token.is_space or token.like_num or token.pos_ in ("PUNCT", "SYM", "NUM", "X") \
        or token.text in lex["currencies"]["signs"] or token.text in ("|", "¦")


def _read_line(doc, start: int, end: int, placed: list[_Placed], monies: list, lex) -> _Line | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    in_line = [m for m in placed if start <= m.start and m.end <= end]
    money_here = tuple(m for m in monies if start <= m.start_char and m.end_char <= end)
    titles = [m for m in in_line if m.entity_type == "TITLE"]
    orgs = [m for m in in_line if m.entity_type == "ORG"]
    covered = {t.i for m in money_here for t in m}
    covered |= {t.i for m in titles + orgs for t in span if m.start <= t.idx < m.end}
    own = [t for t in span if t.i not in covered and not _is_filler(t, lex)]
    no_verb = not any(t.pos_ in ("VERB", "AUX") for t in own)
    colon = next((t for t in span if t.text == ":"), None)
    label = [t for t in span if colon is not None and t.i < colon.i]
    # "Actual: $N", "My Guess: $N" (whatever the entity stage made of "Guess"): a label of words of
    # its own; "Copper Sky: $N" is a row, its title the label.
    if label and len(label) <= lex["table_label_words"] and any(t in own for t in label) \
            and not any(t.pos_ in ("VERB", "AUX") for t in label) and all(m.start > colon.i for m in money_here):
        return _Line(span, "cell", monies=money_here, words=tuple(label))
    if len(titles) == 1 and money_here and no_verb and len(own) <= lex["table_other_words"]:
        return _Line(span, "row", titles[0], orgs[0] if orgs else None, money_here, tuple(own))
    if len(titles) == 1 and not own and not money_here:
        return _Line(span, "title", titles[0])
    if not money_here and ("|" in span.text or "\t" in span.text or (len(span) <= 8 and span[-1].text not in ".!?")):
        return _Line(span, "heading")
    return _Line(span, "prose")


def _cue_of(tokens, cues) -> str | None:
    """The last of ``cues`` (one or two words, lower case) the tokens write, as written in ``cues``."""
    found = None
    words = [t.lower_ for t in tokens]
    for i, word in enumerate(words):
        if i + 1 < len(words) and f"{word} {words[i + 1]}" in cues:
            found = f"{word} {words[i + 1]}"
        elif word in cues:
            found = word
    return found


def _header_cell(header: _Line | None, row: _Line, money) -> list:
    """The tokens of the header cell above a figure of a row cut by bars ("Film | Opening | Total")."""
    if header is None or "|" not in row.span.text:
        return []
    column = sum(1 for t in row.span if t.text == "|" and t.i < money.start)
    cells, cell = [], []
    for token in header.span:
        if token.text == "|":
            cells.append(cell)
            cell = []
        else:
            cell.append(token)
    cells.append(cell)
    return cells[column] if column < len(cells) else []


def _cut_at_bars(money) -> list:
    """A MONEY span cut at the bars between a table's cells: the model reads "$9 million | $30 million"
    as one sum."""
    parts, start = [], money.start
    for token in money:
        if token.text in ("|", "¦"):
            parts.append(money.doc[start:token.i])
            start = token.i + 1
    parts.append(money.doc[start:money.end])
    return [part for part in parts if any(token.like_num for token in part)]


def _table_events(doc, placed: list[_Placed], monies: list, published, lex) -> list[Event]:
    """Box-office figures written as a table's lines, not as sentences: one event per title and kind
    of figure, when the heading or lead paragraph above the lines says they are takings."""
    monies = [part for money in monies for part in _cut_at_bars(money)]
    lines = [line for start, end in _text_lines(doc_text(doc))
             if (line := _read_line(doc, start, end, placed, monies, lex)) is not None]
    if not any(line.monies and line.shape in ("row", "cell") for line in lines):
        return []
    events: list[Event] = []
    prose, headings, header = None, [], None
    block_title, block_start, previous = None, None, None
    for line in lines:
        if line.shape == "prose":
            prose, headings, header, block_title = line, [], None, None
        elif line.shape == "heading":
            if previous is not None and previous.shape in ("row", "cell", "title"):
                headings = []  # a new part of the table, under its own heading ("This week:")
            headings.append(line)
            header = line if "|" in line.span.text or "\t" in line.span.text else header
            block_title = None
        elif line.shape == "title":
            block_title, block_start = line.title, line.span.start_char
        elif line.shape == "row":
            block_title = None
            events += _table_figures(line, line.title, line.span.start_char, prose, headings, header, published, lex)
        elif line.shape == "cell" and block_title is not None:
            events += _table_figures(line, block_title, block_start, prose, headings, None, published, lex)
        previous = line
    return events


def _table_figures(line: _Line, title: _Placed, evidence_start: int, prose: _Line | None, headings: list[_Line],
                   header: _Line | None, published, lex) -> list[Event]:
    lead = [token for part in (prose, *headings) if part is not None for token in part.span]
    if _cue_of(list(line.words) + lead, lex["table_cues"]) is None:
        return []
    doc = line.span.doc
    evidence = doc_text(doc)[evidence_start:line.span.end_char]
    certainty = "rumoured" if any(t.lemma_.lower() in lex["rumoured"] or t.lower_ in lex["rumoured"]
                                  for t in line.words) else "stated"
    events = []
    for money in line.monies:
        parsed = parse_money(_money_text(money, lex), lex["currencies"])
        if parsed is None or parsed[0] < MIN_BOX_OFFICE:
            continue
        # The kind of figure: said in the row or the cell's label, else in its column's header,
        # else in the headings above, else in the lead paragraph (the last cue, nearest the table).
        # Where the figure's column has a header cell, the header line's other cells name other columns.
        column_header = _header_cell(header, line, money)
        above = [h.span for h in reversed(headings) if not (column_header and h is header)]
        cue = None
        for tokens in (list(line.words), column_header, *above, prose.span if prose is not None else []):
            cue = _cue_of(tokens, lex["amount_cues"])
            if cue is not None:
                break
        amount_kind = lex["amount_cues"][cue] if cue is not None else "domestic_total"
        territory = _territory(line.span, lex, skip=[(title.start, title.end)])
        if territory is not None and amount_kind == "domestic_total":
            amount_kind = "international_total"
        date = next((resolved for part in (line.span, *(h.span for h in reversed(headings))) for ent in part.ents if ent.label_ == "DATE"
                     if (resolved := resolve_date(_date_text(ent), published, False)) is not None), None)
        if date is None and amount_kind == "opening_weekend" and published is not None:
            date = (weekend_of_report(published), "day")
        events.append(Event(kind="box_office", evidence=evidence, evidence_start=evidence_start,
                            evidence_end=evidence_start + len(evidence), rule="box_office_table", certainty=certainty,
                            title_entity_id=title.entity_id, org_entity_id=line.org.entity_id if line.org else None,
                            amount=parsed[0], currency=parsed[1], amount_kind=amount_kind,
                            territory=territory if amount_kind == "international_total" else None,
                            event_date=date[0] if date else None, date_precision=date[1] if date else None))
    return events


_RELEASE_CONTEXT = frozenset("release date theater theatre cinema screen premiere debut open opening bow slate "
                             "streaming stream air schedule calendar launch multiplex".split())
_SERIES_CONTEXT = frozenset("series season seasons pilot episode episodes show".split())


def _release(rule, trigger, sentence, in_sentence, titles_in_order, published, future, lex, base) -> list[Event]:
    if rule.status != "set" and not any(t.lemma_.lower() in _RELEASE_CONTEXT for t in sentence if t.i != trigger.i) \
            and not any(ent.label_ == "DATE" and trigger.is_ancestor(ent.root) for ent in sentence.ents):
        return []  # "pushed for", "moved to tears": a change of date says what it changes
    if trigger.pos_ == "VERB" and any(t.dep_ in ("dobj", "nsubjpass") and (t.lower_ in _PERSONAL_PRONOUNS | {"they", "them"}
                                      or t.ent_type_ == "PERSON") for t in trigger.children):
        return []  # "she was released from house arrest": a person set free, not a work
    title = _nearest(in_sentence, trigger, "TITLE") or _work_in_context(trigger, titles_in_order)
    if title is None:
        return []
    date = _date_for(sentence, trigger, published, future or rule.status != "set", change=rule.status != "set")
    if date is None and rule.status != "delayed":
        return []
    org = _nearest(in_sentence, trigger, "ORG", max_distance=2)
    territory = _territory(sentence, lex, skip=[(m.start, m.end) for m in in_sentence if m.entity_type != "PLACE"])
    return [Event(**base, title_entity_id=title.entity_id, org_entity_id=org.entity_id if org else None,
                  territory=territory, event_date=date[0] if date else None, date_precision=date[1] if date else None)]


def _as_phrase(trigger) -> list:
    """The tokens of the trigger's "as" phrase ("cast as the captain", "joined as a star and
    producer"): the part or the job, never the person."""
    preps = [child for child in trigger.children if child.dep_ == "prep" and child.lower_ == "as"]
    if not preps:
        # The parser often hangs a closing "as …" on the nearest noun of the object ("joined the
        # film about X as a star"): an "as" in the object's phrase, outside a clause of its own.
        for obj in (c for c in trigger.children if c.dep_ == "dobj"):
            preps = [t for t in obj.subtree if t.dep_ == "prep" and t.lower_ == "as"
                     and not any(a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i != obj.i and obj.is_ancestor(a))]
    return [t for prep in preps[-1:] for t in prep.subtree]


def _people(rule, trigger, sentence, in_sentence, people_in_order, titles_in_order, published, lex, base) -> list[Event]:
    job = _job(trigger, sentence, lex)
    as_phrase = _as_phrase(trigger)
    if rule.kind == "casting" and job is not None \
            and not any(t.lemma_.lower() in lex["cast_nouns"] for t in as_phrase):
        return []  # "joins as president", "tapped to direct": a hiring; "as a star and producer" is both
    if rule.kind == "hiring" and job in (None, "unnamed"):
        return []
    if trigger.lemma_ not in lex["person_as_object"] and any(
            t.dep_ == "dobj" and (t.lower_ in _PERSONAL_PRONOUNS or t.ent_type_ == "PERSON") for t in trigger.children):
        return []  # "urged her to join him": a person joined is no production
    in_role = [(as_phrase[0].idx, as_phrase[-1].idx + len(as_phrase[-1]))] if as_phrase else []
    # Who joins is the clause's subject ("X is set to star"), or what is cast ("cast X", "X was
    # cast"); past those, the name nearest in the tree.
    party_words = [t for t in trigger.children if t.dep_ == "dobj"] if trigger.lemma_ in lex["person_as_object"] else []
    party_words += _subjects(trigger)
    parties = [m for m in (_mention_at(t, in_sentence) for t in party_words) if m is not None and m.entity_type == "PERSON"]
    if not parties and any(_names_no_person(t, in_sentence) for t in _subjects(trigger)
                           if t.dep_ == "nsubjpass" or trigger.lemma_ not in lex["person_as_object"]):
        return []  # "it will produce results", "Rovers would play Lada": who does it is no person
    named = parties[0] if parties else _nearest(in_sentence, trigger, "PERSON", exclude=in_role)
    pronoun_subject = any(t.lower_ in _PERSONAL_PRONOUNS for t in _subjects(trigger)) \
        and trigger.lemma_ not in lex["person_as_object"]
    # "Was she a fan of X before she joined the show?": she, not X, joined.
    person = None if pronoun_subject else named
    if person is None:
        # "X, with whom she co-stars": she is not X.
        person = _person_in_context(trigger, people_in_order,
                                    frozenset((named.entity_id,)) if named and _is_co_star(trigger) else frozenset())
        if person is None:
            return []
    people = _with_conjuncts(person, in_sentence)
    partners = [named] if _is_co_star(trigger) and named is not None else []
    # "stars opposite X", "co-stars with X", "alongside X": X is in the cast too.
    partner_preps = ("opposite", "alongside", "with") if _is_co_star(trigger) else ("opposite", "alongside")
    # (the tokenizer's "co" "-" "star" hangs the "with" on any of its three parts)
    parts = trigger.doc[trigger.i:trigger.i + 3] if _is_co_star(trigger) and trigger.lower_ == "co" else [trigger]
    partners += [m for m in (_mention_at(o, in_sentence) for part in parts for c in part.children
                             if c.dep_ == "prep" and c.lower_ in partner_preps for o in c.children if o.dep_ == "pobj")
                 if m is not None and m.entity_type == "PERSON"]
    for partner in partners:
        for joined in _with_conjuncts(partner, in_sentence):
            if joined.entity_id not in {p.entity_id for p in people}:
                people.append(joined)
    title = _nearest(in_sentence, trigger, "TITLE") or _title_after(trigger, in_sentence) \
        or _work_in_context(trigger, titles_in_order)
    org = None
    if rule.kind == "hiring" and title is None:
        # "resigned as chairwoman of Orion Pictures": the company of the job the "as" phrase names.
        in_job = {t.i for t in as_phrase}
        org = _nearest(in_sentence, trigger, "ORG") \
            or next((m for m in in_sentence if m.entity_type == "ORG" and m.root.i in in_job), None)
    if title is None and (rule.kind == "casting" or org is None):
        return []  # a job in no production and no company named: a party's chair, a country's president
    role = job if rule.kind == "hiring" else _character(trigger, {p.root.i for p in people})
    # "resigned in July" is the July before the article; "will join in July" the one after.
    date = _date_for(sentence, trigger, published, _is_future(trigger) or trigger.tag_ in ("VB", "VBZ", "VBP", "VBG"))
    return [Event(**base, person_entity_id=p.entity_id, title_entity_id=title.entity_id if title else None,
                  org_entity_id=org.entity_id if org else None, role=role, event_date=date[0] if date else None,
                  date_precision=date[1] if date else None) for p in people]


def _names_no_person(subject, in_sentence: list[_Placed]) -> bool:
    """A subject that is a thing, not someone: "it", a company, a team, a work. A person's name or a
    pronoun of one, and a common noun ("the actress"), may be someone."""
    if subject.lower_ == "it":
        return True
    mention = _mention_at(subject, in_sentence)
    if mention is not None:
        # (a work may be the subject: "MacGyver, which stars Lucas Till"; and the parser takes a title
        # before a clause for its subject: "In the film The Comedian, Wiig will co-star")
        return mention.entity_type in ("ORG", "PLACE")
    return subject.pos_ == "PROPN" and not subject.ent_type_


def _title_after(trigger, in_sentence: list[_Placed]) -> _Placed | None:
    """"Stars in T", "co-stars in the upcoming T": the title a preposition opens right after the
    trigger, read in word order where the parse hung the preposition elsewhere (a verb the tokenizer
    split, "co" "-" "stars", leaves the tagger guessing)."""
    doc = trigger.doc
    end = trigger.i + 4 if _is_co_star(trigger) else trigger.i + 2
    for i in range(trigger.i + 1, min(end, len(doc))):
        if doc[i].lower_ in ("in", "on"):
            following = [m for m in in_sentence if m.entity_type == "TITLE" and m.start >= doc[i].idx]
            first = min(following, key=lambda m: m.start, default=None)
            if first is not None and not any((t.is_punct and not t.is_quote) or t.pos_ == "VERB"
                                             for t in doc[i + 1:first.root.i] if t.idx < first.start):
                return first
            return None
    return None


def _is_co_star(trigger) -> bool:
    """"Co-stars", as one token or as the tokenizer splits it ("co" "-" "stars")."""
    doc = trigger.doc
    if trigger.lemma_.lower() in ("co-star", "costar"):
        return True
    return trigger.lower_ == "co" and trigger.i + 2 < len(doc) and doc[trigger.i + 1].text == "-"


def _mention_at(token, in_sentence: list[_Placed]) -> _Placed | None:
    return next((m for m in in_sentence if m.start <= token.idx < m.end), None)


def _passive_purchase(trigger, in_sentence: list[_Placed]) -> tuple[_Placed | None, _Placed | None, _Placed | None]:
    """(buyer, what was bought, owner) of a passive purchase: "X was bought by Y", "X, which was
    acquired by a company owned by Z". A buyer named only through its owner leaves the buyer empty
    and names the owner (docs/events_annotation.md, "One event, once")."""
    if not any(c.dep_ == "auxpass" for c in trigger.children):
        return None, None, None
    subject = next((c for c in trigger.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and subject.tag_ in ("WDT", "WP") and trigger.dep_ == "relcl":
        subject = trigger.head  # "X, which was bought": X
    bought = _mention_at(subject, in_sentence) if subject is not None else None
    agents = [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not agents:
        return None, bought, None
    buyer = _mention_at(agents[0], in_sentence)
    owner = None
    if buyer is None:
        owners = [g for c in agents[0].children if c.dep_ == "acl" and c.lemma_ in ("own", "control", "run", "back")
                  for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        owner = _mention_at(owners[0], in_sentence) if owners else None
    return buyer, bought, owner


def _deal(trigger, sentence, in_sentence, monies, published, lex, base) -> list[Event]:
    person = None
    buyer, bought, owner = _passive_purchase(trigger, in_sentence) if base["status"] == "acquired" else (None,) * 3
    if buyer is not None and buyer.entity_type == "ORG" and bought is not None:
        org = buyer
        title = bought if bought.entity_type == "TITLE" else None
        other_org = bought if bought.entity_type == "ORG" else None
    elif owner is not None and owner.entity_type == "PERSON" and bought is not None and bought.entity_type == "ORG":
        org, title, other_org, person = bought, None, None, owner
    else:
        org = _nearest(in_sentence, trigger, "ORG", max_distance=2)
        if org is None:
            return []
        title = _nearest(in_sentence, trigger, "TITLE", max_distance=3)
        if base["status"] in ("first_look", "overall"):
            person = _nearest(in_sentence, trigger, "PERSON", max_distance=3)
        other_org = _nearest([m for m in in_sentence if m is not org], trigger, "ORG", max_distance=3)
    if title is None and person is None and other_org is None:
        return []
    if base["status"] == "acquired" and trigger.lemma_ in ("win", "land", "take", "pick", "grab", "scoop", "snap") \
            and not any(t.lemma_ in ("right", "up") for t in trigger.subtree) \
            and not any(c.dep_ == "prep" and c.lower_ == "at" for c in trigger.children):
        return []  # "took home", "won the festival": only rights, a pick-up or a project landing at a studio are bought
    amount = currency = amount_kind = None
    for money in monies:
        parsed = parse_money(_money_text(money, lex), lex["currencies"])
        if parsed is not None and tree_distance(trigger, money.root) <= 4:
            amount, currency = parsed
            amount_kind = "deal_value"
            break
    territory = _territory(sentence, lex, skip=[(m.start, m.end) for m in in_sentence if m.entity_type != "PLACE"]) \
        if base["status"] == "distribution" else None
    date = _date_for(sentence, trigger, published, False)
    return [Event(**base, org_entity_id=org.entity_id, title_entity_id=title.entity_id if title else None,
                  person_entity_id=person.entity_id if person else None, amount=amount, currency=currency,
                  amount_kind=amount_kind, territory=territory, event_date=date[0] if date else None,
                  date_precision=date[1] if date else None)]


def _work_it_is_for(trigger, sentence, in_sentence: list[_Placed], titles_in_order: list[_Placed]) -> _Placed | None:
    """The work an award or nomination is for: a title in the "for" phrase of the trigger or of its
    object, however deep ("a nomination for his portrayal of the title role in T"); "for the
    former" / "the latter": the first or the last title the sentence before names."""
    heads = [trigger] + [c for c in trigger.children if c.dep_ == "dobj"]
    for prep in (c for head in heads for c in head.children if c.dep_ == "prep" and c.lower_ == "for"):
        phrase = {t.i for t in prep.subtree}
        inside = [m for m in in_sentence if m.entity_type == "TITLE" and m.root.i in phrase]
        if inside:
            return inside[0]
        pointer = next((t.lower_ for t in prep.subtree if t.lower_ in ("former", "latter")
                        and any(c.lower_ == "the" for c in t.children)), None)
        if pointer is not None and sentence.start > 0:
            before = trigger.doc[sentence.start - 1].sent
            named = [m for m in titles_in_order if before.start_char <= m.start and m.end <= before.end_char]
            if len(named) >= 2:
                return named[0] if pointer == "former" else named[-1]
    return None


def _award(trigger, sentence, in_sentence, people_in_order, titles_in_order, published, lex, base) -> list[Event]:
    match = None
    best = None
    for found in lex["awards"].finditer(sentence.text):
        at = sentence.start_char + found.start()
        # "Tony Adams", "Emmy Rossum": an award's name inside a person's name is a given name.
        if any(m.entity_type == "PERSON" and m.start <= at < m.end and m.end - m.start > len(found.group(0))
               for m in in_sentence):
            continue
        distance = abs(at - trigger.idx)
        if best is None or distance < best:
            match, best = found, distance
    if match is None:
        return []
    award_span = (sentence.start_char + match.start(), sentence.start_char + match.end())
    category_span = _category(sentence)
    category = doc_text(sentence.doc)[category_span[0]:category_span[1]] if category_span else None
    skip = [award_span] + ([category_span] if category_span else [])
    person = _nearest(in_sentence, trigger, "PERSON", exclude=skip) or _person_in_context(trigger, people_in_order)
    title = _work_it_is_for(trigger, sentence, in_sentence, titles_in_order) \
        or _nearest(in_sentence, trigger, "TITLE", exclude=skip)
    if person is None and title is None:
        return []
    date = _date_for(sentence, trigger, published, False)
    award = match.group(0)
    if base["status"] == "won" and any(t.lemma_ in ("nomination", "nod", "nom", "nominate") for t in trigger.children):
        base = {**base, "status": "nominated"}  # "earned a Golden Globe nomination"
    people = _with_conjuncts(person, in_sentence) if person else [None]
    return [Event(**base, person_entity_id=p.entity_id if p else None, title_entity_id=title.entity_id if title else None,
                  award=award, category=category, event_date=date[0] if date else None,
                  date_precision=date[1] if date else None) for p in people]


# Of two statements of one deal or release, the one naming its type or its change says more.
_STATUS_DETAIL = {"distribution": 2, "first_look": 2, "overall": 2, "acquired": 1, "moved": 1, "delayed": 2, "moved_up": 2}
# A statement of fact stands for its event before a report of it, and a report before a forecast
# ("was expected to open to $40 million" ... "opened to $41.5 million"; a guess beside the actual figure).
_CERTAINTY_RANK = {"stated": 2, "reported": 1, "rumoured": 0}


def _fullness(event: Event) -> tuple[int, int, int]:
    return _CERTAINTY_RANK.get(event.certainty, 0), event.filled(), _STATUS_DETAIL.get(event.status or "", 0)


def _one_per_event(events: list[Event]) -> list[Event]:
    """The same event restated is one row: the fullest statement, the first of equals."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = event.key()
        if key not in best or _fullness(event) > _fullness(best[key]):
            best[key] = event
    # A statement that names no company is the same event as one that names it ("X opened to $20
    # million" and "the Halcyon release X opened to $20.4 million"): the fuller one stands for both.
    named = {key[:3] + key[4:] for key in best if key[3] is not None}
    best = {key: event for key, event in best.items() if key[3] is not None or key[:3] + key[4:] not in named}
    return sorted(best.values(), key=lambda e: (e.evidence_start, e.kind, e.key().__repr__()))


# ---------------------------------------------------------------- rows


def event_id_for(article_id: str, event: Event) -> str:
    parts = [article_id, event.kind, str(event.evidence_start), str(event.evidence_end), event.title_entity_id or "",
             event.person_entity_id or "", event.org_entity_id or "", event.amount_kind or "", event.award or "",
             event.category or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


EVENT_FRAME_SCHEMA = {
    "event_id": "String", "article_id": "String", "kind": "String", "title_entity_id": "String",
    "person_entity_id": "String", "org_entity_id": "String", "role": "String", "amount": "Float64",
    "currency": "String", "amount_kind": "String", "territory": "String", "event_date": "Date",
    "date_precision": "String", "status": "String", "certainty": "String", "award": "String", "category": "String",
    "evidence": "String", "evidence_start": "Int32", "evidence_end": "Int32", "rule": "String",
}


def events_frame(events_by_article: dict[str, list[Event]]):
    """The ``events`` rows of a batch of articles."""
    import polars as pl

    rows = []
    for article_id, events in events_by_article.items():
        for event in events:
            row = {field.name: getattr(event, field.name) for field in fields(Event)}
            rows.append({"event_id": event_id_for(article_id, event), "article_id": article_id, **row})
    schema = {name: getattr(pl, dtype) for name, dtype in EVENT_FRAME_SCHEMA.items()}
    return pl.DataFrame(rows, schema=schema).select(list(EVENT_FRAME_SCHEMA))
