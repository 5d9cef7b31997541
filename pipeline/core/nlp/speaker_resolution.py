"""Speaker resolution: from the words that name a speaker ("Hale", "she", "the producer", "a
Streamline spokesperson") to an entity of the article.

Pronouns go to the last person named as a subject; role nouns ("the producer") to the person
introduced with that role; a spokesperson or statement to its organisation.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .entities import surname_of
from .given_names import may_refer_to
from .lexicon import ORG_ROLE_NOUNS, ORG_SUFFIXES, PUBLIC_BODY_NOUNS, ROLE_NOUNS, SPEECH_VERBS, SPOKESPERSON_NOUNS, role_family
from .quote_marks import Quote

# "directed by X" introduces X as the director, and so on.
_CREDIT_ROLES = {"directed": "director", "produced": "producer", "written": "writer", "created": "creator",
                 "starring": "star", "hosted": "host", "narrated": "narrator"}
PREPOSITIONS = frozenset("with for to by from of about at in on into over like than via under after before against "
                         "behind between among toward towards without within across around through during near "
                         "beside beyond upon amid despite including".split())
PRONOUNS = {"he": "PERSON", "she": "PERSON", "they": None, "it": "ORG"}
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


class SpeakerResolver:
    """Turns the words that name a speaker into an entity of the article."""

    def __init__(self, text: str, mentions: Sequence[Mention], quotes: Sequence[Quote] = (), doc=None):
        self.text = text
        self.doc = doc
        self.quotes = [q for q in quotes if q.level == 0]
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
            start = start_of_sentence(self.text, max(window_start, end - 1), window_start)
            oblique_end = None  # where the last name after a preposition ends: "to Joe Biden and Bernie Sanders"
            for m in self.persons_before(end):
                if m.start < start:
                    continue
                before = re.findall(r"[\w’'-]+", self.text[max(0, m.start - 30):m.start])
                last = before[-1].casefold() if before else ""
                # "According to Ham, …": the source of the sentence is what it is about, not an object.
                according = last == "to" and len(before) > 1 and before[-2].casefold() == "according"
                conjoined = oblique_end is not None and self.text[oblique_end:m.start].strip(" ,").casefold() in ("and", "or")
                if (last in PREPOSITIONS and not according) or last == "own" or conjoined or self._object_of_preposition(m):
                    oblique_end = m.end
                    continue
                if self.text[m.end:m.end + 3].startswith(("’s", "'s")) or self.inside_quote(m.start) \
                        or self._modifies_a_noun(m):
                    continue
                if pronoun is not None and not may_refer_to(pronoun, m.name):
                    continue  # "she" is not the man named last
                return m
            if start <= window_start:
                return None
            end = start
        return None

    def _introduced_since(self, subject: Mention | None, position: int, pronoun: str) -> Mention | None:
        """The one person named for the first time between ``subject``'s sentence and ``position``, when
        the subject was named before it: news introduces a speaker, then quotes them ("… which concerns
        Henry Crespo, president of the caucus. ‘…,’ he said" is Crespo, not the sentence's subject)."""
        if subject is None:
            return None
        start = start_of_sentence(self.text, subject.start, 0)
        first_at: dict[str, int] = {}
        for m in self.mentions:
            first_at.setdefault(m.entity_id, m.start)
        if first_at.get(subject.entity_id, subject.start) >= start:
            return None
        # "Fowler noted that he backed Sargent Shriver — …": a subject who speaks the sentence goes on speaking.
        verb = re.match(r"\s+([a-z]+)", self.text[subject.end:subject.end + 20])
        if verb and verb.group(1) in SPEECH_VERBS:
            return None
        # The last sentence before the quote that holds ``position`` ("… like that,” he said" starts a
        # sentence inside the quote).
        before_quote = min([q.start - 1 for q in self.quotes if q.start <= position <= q.end], default=position)
        last_sentence = start_of_sentence(self.text, max(0, before_quote - 2), 0)
        # Introduced as a speaker is introduced: in the last sentence, a description set off after the name.
        newcomers = {m.entity_id: m for m in self.persons_before(position)
                     if m.start > subject.end and m.start >= last_sentence
                     and re.match(r"\s*(?:,|—|–|--)\s*(?:who|the|a|an|[a-z]+ of)\b", self.text[m.end:m.end + 40]) and first_at.get(m.entity_id) == m.start and m.entity_id != subject.entity_id
                     and not self.inside_quote(m.start) and may_refer_to(pronoun, m.name)}
        return next(iter(newcomers.values())) if len(newcomers) == 1 else None

    def _parsed(self, mention: Mention):
        """The mention's tokens in the parse, or None without a parse (or where no token falls in it)."""
        if self.doc is None:
            return None
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span if span is not None and len(span) else None

    def _object_of_preposition(self, mention: Mention) -> bool:
        """"the music of Taylor Swift, Kacey Musgraves and others", "a friend of Harry's mother, Princess
        Diana": a name listed with, or set beside, the object of a preposition is an object too, however far
        from the preposition (read from the parse, when there is one; "according to X" is a source, not an
        object)."""
        span = self._parsed(mention)
        if span is None:
            return False
        token = span.root
        while token.dep_ in ("conj", "appos") and token.head is not token:
            token = token.head
        if token.dep_ != "pobj":
            return False
        preposition = token.head
        return not (preposition.lower_ == "to" and preposition.head.lower_ == "according")

    def _modifies_a_noun(self, mention: Mention) -> bool:
        """"Trump campaign spokesman Jason Miller": a name used as a modifier of a common noun names
        nobody the sentence is about (read from the parse, when there is one)."""
        span = self._parsed(mention)
        if span is None:
            return False
        head = span.root
        return head.dep_ == "compound" and head.head.pos_ == "NOUN" and not (span.start <= head.head.i < span.end)

    def organisation_opening_before(self, position: int, sentences: int = 2) -> Mention | None:
        """The organisation that opens one of the ``sentences`` sentences before ``position`` (the nearest),
        outside quote marks: who "it" or "they" is when an organisation is the subject."""
        end = position
        for _ in range(sentences):
            if end <= 0:
                return None
            start = start_of_sentence(self.text, max(0, end - 1), 0)
            for m in self.mentions:
                if m.entity_type == "ORG" and start <= m.start < end and not self.inside_quote(m.start) \
                        and self.text[start:m.start].strip(" \n“”\"‘’'") in ("", "The", "the"):
                    return m
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

    def inside_quote(self, position: int) -> bool:
        return any(q.start <= position < q.end for q in self.quotes)

    def resolve(self, who: str, who_start: int, before_position: int, outer: "Quote | None" = None) -> Mention | None:
        # A name never runs past a full stop, and "And I say" is "I" speaking.
        who_start += len(who) - len(who.lstrip())
        who_clean = first_sentence_of(who.strip())
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
            sentence_start = start_of_sentence(self.text, who_start, 0)
            if lowered == "they":
                # "they" is a group more often than one person ("Officials … ‘…,’ they said"): only a
                # sentence right before that opens with a person's name gives it a speaker, else one
                # that opens with an organisation ("Big Machine denied it. ‘…,’ they said").
                previous = start_of_sentence(self.text, max(0, sentence_start - 2), 0)
                subject = self.subject_before(sentence_start, window_start=previous)
                opens = subject is not None and not self.text[previous:subject.start].strip(" \n“”\"‘’'")
                return subject if opens else self.organisation_opening_before(sentence_start)
            if lowered == "it":
                # "it said" after a sentence that opens with a company: the company speaks.
                return self.organisation_opening_before(sentence_start)
            subject = self.subject_before(sentence_start, pronoun=lowered)
            return self._introduced_since(subject, sentence_start, lowered) or subject
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
                        opening = start_of_sentence(self.text, match.start(), 0)
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
                subject = self.subject_before(start_of_sentence(self.text, who_start, 0), pronoun=role)
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
                return self.subject_before(start_of_sentence(self.text, who_start, 0))
            return None
        # "Labour Minister Keiko Tanaka": the person at the head of the phrase speaks, not the party before.
        inside = [m for m in self.mentions if m.start < who_start + len(who_clean) and who_start < m.end
                  and m.entity_type in ("PERSON", "ORG")]
        people = [m for m in inside if m.entity_type == "PERSON"]
        return (people or inside or [None])[-1]

def with_recurring_names(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions, and each further place the article writes a person's or an organisation's name again
    where the entity stage marked nothing ("Big Machine have twice denied it." after "Big Machine Records";
    "Arcade announced" after "Arcade Publishing"): who speaks is read from every place a speaker is named,
    and the recognizer can miss a name at the head of a sentence that it found elsewhere.

    A name counts in the form the article wrote it (two words or more, so a lone given name is never taken
    for a person), and an organisation also without its corporate last word ("Arcade" for "Arcade
    Publishing") unless a person's name holds that short form. A form two entities share is left out."""
    people_words = {m.text for m in mentions if m.entity_type == "PERSON"}
    forms: dict[str, Mention | None] = {}
    for m in mentions:
        if m.entity_type not in ("PERSON", "ORG"):
            continue
        words = m.text.split()
        written = [m.text] if len(words) >= 2 else []
        if m.entity_type == "ORG" and len(words) >= 2 and words[-1] in ORG_SUFFIXES:
            short = " ".join(words[:-1])
            if short[:1].isupper() and not any(short in person for person in people_words):
                written.append(short)
        for form in written:
            known = forms.get(form, m)
            forms[form] = m if known is not None and known.entity_id == m.entity_id else None
    forms = {form: m for form, m in forms.items() if m is not None}
    if not forms:
        return list(mentions)
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [start for start, _ in taken]
    added: list[Mention] = []
    # One pass over the text for all the forms, the longest first where two start at one place.
    alternation = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    for found in re.finditer(rf"(?<![\w’'-])(?:{alternation})(?![\w-])", text):
        form, m = found.group(), forms[found.group()]
        start, end = found.span()
        k = bisect.bisect_left(starts, end)
        if any(taken[j][1] > start for j in range(max(0, k - 3), k)):
            continue  # inside or across a mention already there
        bisect.insort(taken, (start, end))
        starts.insert(bisect.bisect_left(starts, start), start)
        added.append(Mention(start, end, form, m.entity_type, m.name, m.entity_id, "recurring_name"))
    return sorted([*mentions, *added], key=lambda m: (m.start, m.end)) if added else list(mentions)


_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr prof gen sen rep gov lt col capt mt ft no vs inc corp co ltd".split())


def first_sentence_of(phrase: str) -> str:
    """"producer Owen Hale. Director Ama Boateng" -> "producer Owen Hale": a name never runs past a full stop
    (an abbreviation's or an initial's full stop is not one: "Mr. Whitby", "J. J. Abrams")."""
    for match in re.finditer(r"([A-Za-z]+)\.\s+", phrase):
        if len(match.group(1)) > 1 and match.group(1).casefold() not in _ABBREVIATIONS:
            return phrase[:match.start() + len(match.group(1))]
    return phrase


def start_of_sentence(text: str, position: int, floor: int) -> int:
    """Start of the sentence that holds ``position`` (not before ``floor``)."""
    cut = floor
    # One character past ``position`` so the look-ahead can see the capital that starts a sentence there.
    for match in re.finditer(r"[.!?…][”\"’']?\s+(?=[A-Z“\"‘])", text[floor:position + 1]):
        if floor + match.end() <= position:
            cut = floor + match.end()
    return cut


def by_name(resolver: SpeakerResolver, who: str) -> Mention | None:
    last = surname_of(who.rstrip(",.")).rstrip(",.").casefold()
    for m in reversed(resolver.mentions):
        if m.entity_type == "PERSON" and surname_of(m.name).casefold() == last:
            return m
    return None


def speaker_of_phrase(phrase, resolver: SpeakerResolver, before_position: int) -> Mention | None:
    """The entity a speaker phrase from the parse names: a name, a pronoun, "the director"."""
    mention = resolver.resolve(phrase.text, phrase.start, before_position)
    if mention is None and not phrase.is_pronoun and phrase.text[:1].isupper() \
            and phrase.text.split()[0].casefold() not in ("the", "a", "an", "his", "her", "their", "its"):
        mention = by_name(resolver, phrase.text)
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
