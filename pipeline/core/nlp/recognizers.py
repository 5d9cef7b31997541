"""Entity recognizers registered as spaCy components.

Each writes its candidate spans to ``doc.spans[<its name>]``, labelled with the entity type it
proposes (NONE for page furniture, which blocks every entity overlapping it); the entity stage's
typing policy (``core.nlp.entities``) decides between them and the model's entities. Which
recognizers run, in which order and with which data files, is ``recognizers.yml``, read by
``add_recognizers`` in one pass. Patterns about words are token patterns in data files beside
this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy
import yaml
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import entities, lexicon
from .given_names import given_name_gender
from .lexicon import CALENDAR_WORDS, NOT_A_TEAM_WORDS, ORG_SUFFIXES, TITLE_MINOR_WORDS
from .places import gazetteer_places, place_names

HERE = Path(__file__).resolve().parent
VENUE_PATTERNS_FILE = HERE / "venue_patterns.yml"
SPORTS_TEAM_PATTERNS_FILE = HERE / "sports_team_patterns.yml"
PERSON_NAME_PATTERNS_FILE = HERE / "person_name_patterns.yml"
COMPANY_KIND_PATTERNS_FILE = HERE / "company_kind_patterns.yml"
PART_CUES_FILE = HERE / "part_cues.yml"
TITLE_CUES_FILE = HERE / "title_cues.yml"
TRANSCRIPT_LABELS_FILE = HERE / "transcript_labels.yml"
RECOGNIZERS_FILE = HERE / "recognizers.yml"

# The page's italic runs (character offsets), which the reader sets on the Doc before the pipeline
# runs: film news italicizes titles.
if not Doc.has_extension("italic_spans"):
    Doc.set_extension("italic_spans", default=())

# Where a Doc keeps its text once joined (``doc_text``).
_DOC_TEXT = "film_news.doc_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined from the tokens once and kept with the Doc: ``Doc.text`` builds every token
    and joins them at each read (0.2 ms for an article of 1,000 tokens), and the recognizers read the
    text fifteen times an article. A Doc's text never changes (spaCy's tokenization and retokenizing
    keep every character), so the kept copy stays right."""
    text = doc.user_data.get(_DOC_TEXT)
    if text is None:
        text = doc.user_data[_DOC_TEXT] = doc.text
    return text


def add_recognizers(nlp: Language, config_file: Path = RECOGNIZERS_FILE) -> Language:
    """Add every recognizer of ``config_file`` (in its order, with its config) that ``nlp`` lacks."""
    for component in yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))["components"]:
        config = {key: str(HERE / value) if key.endswith("_file") else value
                  for key, value in (component.get("config") or {}).items()}
        if component["factory"] not in nlp.pipe_names:
            nlp.add_pipe(component["factory"], name=component["factory"], config=config)
    return nlp


def recognizer_names(config_file: Path = RECOGNIZERS_FILE) -> list[str]:
    """The spans keys the recognizers of ``config_file`` write: the names their mentions carry (``part_cue``
    writes cues, no mentions)."""
    components = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))["components"]
    return [component["config"]["spans_key"] for component in components]


# A name the rules find by characters may end inside a token where the page glued two words
# ("Casino Royaleand" from "<i>Casino Royale</i>and"): its span then takes the whole token, and
# keeps the name's own characters here.
if not Span.has_extension("name_chars"):
    Span.set_extension("name_chars", default=None)


def _as_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span._.name_chars = (start, end)
    return span


def _write_candidates(doc: Doc, spans_key: str, candidates) -> Doc:
    """A recognizer's candidates (character offsets and a type) written as the Doc's spans under its key."""
    found = (_as_span(doc, candidate.start, candidate.end, candidate.entity_type) for candidate in candidates)
    doc.spans[spans_key] = [span for span in found if span is not None]
    return doc


def name_chars(span: Span) -> tuple[int, int]:
    """The characters of the name a recognizer found (a span's own, unless the name ends inside a token)."""
    return span._.name_chars or (span.start_char, span.end_char)


class TextRecognizer:
    """A recognizer written over the article's text and its parse: ``find(doc)`` gives its candidates."""

    def __init__(self, spans_key: str, find: Callable[[Doc], list]):
        self.spans_key = spans_key
        self.find = find

    def __call__(self, doc: Doc) -> Doc:
        return _write_candidates(doc, self.spans_key, self.find(doc))


@Language.factory("page_furniture_recognizer",
                  default_config={"spans_key": "page_furniture", "furniture_file": str(HERE / "page_furniture.yml")})
def make_page_furniture_recognizer(nlp: Language, name: str, spans_key: str, furniture_file: str) -> TextRecognizer:
    """Labels opening a paragraph ("WINNER:", "Photo:"), navigation lines, links under a label and
    bracketed labels ("(RELATED: …)"): NONE spans that no entity may overlap."""
    return TextRecognizer(spans_key, lambda doc: entities.furniture_spans(doc_text(doc), Path(furniture_file)))


@Language.factory("award_list_recognizer",
                  default_config={"spans_key": "award_list_title", "furniture_file": str(HERE / "page_furniture.yml")})
def make_award_list_recognizer(nlp: Language, name: str, spans_key: str, furniture_file: str) -> TextRecognizer:
    """Award-category headings (NONE) and the works listed under them (TITLE)."""
    return TextRecognizer(spans_key, lambda doc: entities.award_list_spans(doc_text(doc), Path(furniture_file)))


@Language.factory("quoted_title_recognizer", default_config={"spans_key": "quoted_title"})
def make_quoted_title_recognizer(nlp: Language, name: str, spans_key: str) -> TextRecognizer:
    return TextRecognizer(spans_key, lambda doc: entities.quoted_titles(doc_text(doc), doc))


@Language.factory("italic_title_recognizer", default_config={"spans_key": "italic_title"})
def make_italic_title_recognizer(nlp: Language, name: str, spans_key: str) -> TextRecognizer:
    return TextRecognizer(spans_key, lambda doc: entities.italic_titles(doc_text(doc), doc._.italic_spans))


@Language.factory("colon_title_recognizer", default_config={"spans_key": "colon_title"})
def make_colon_title_recognizer(nlp: Language, name: str, spans_key: str) -> TextRecognizer:
    return TextRecognizer(spans_key, lambda doc: entities.colon_titles(doc_text(doc)))


@Language.factory("corporate_name_recognizer", default_config={"spans_key": "corporate_name"})
def make_corporate_name_recognizer(nlp: Language, name: str, spans_key: str) -> TextRecognizer:
    # "in most American TV": words the tagger reads as no proper noun at all name no company.
    return TextRecognizer(spans_key, lambda doc: [s for s in entities.corporate_orgs(doc_text(doc))
                                                  if entities._has_proper_noun(doc, s.start, s.end)])


def with_word_lists(pattern: list[dict]) -> list[dict]:
    """A token pattern whose ``{IN: name}`` values name word lists of ``entity_words.yml``, with those lists put in."""
    def expand(value):
        if isinstance(value, dict):
            return {key: (sorted(lexicon.word_list(item)) if key == "IN" and isinstance(item, str) else expand(item))
                    for key, item in value.items()}
        return value
    return [expand(token) for token in pattern]


class TokenPatternRecognizer:
    """A recognizer of token patterns in a data file: ``patterns(data)`` gives the Matcher's patterns by
    shape (``{IN: name}`` naming a word list of ``entity_words.yml``), ``accept`` the span a match names,
    or None; what it accepts (the longest where matches overlap, unless ``keep_overlapping``) goes to
    ``doc.spans[spans_key]``."""

    label = ""
    # Whether overlapping matches all stay (cues that end where different names start), not the longest alone.
    keep_overlapping = False

    def __init__(self, nlp: Language, patterns_file: Path, spans_key: str):
        data = yaml.safe_load(Path(patterns_file).read_text(encoding="utf-8"))
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab)
        shapes = {shape: [with_word_lists(pattern) for pattern in patterns] for shape, patterns in self.patterns(data).items()}
        for shape, patterns in shapes.items():
            self.matcher.add(shape, patterns)
        patterns = [pattern for shape_patterns in shapes.values() for pattern in shape_patterns]
        # Where every pattern needs one of given words, an article holding none of them is not matched at
        # all: looking the words up costs a tenth of running the Matcher over the article.
        needed = [next((token["ORTH"] for token in pattern if "ORTH" in token and "OP" not in token), None)
                  for pattern in patterns]
        self.needed_words = None if not all(needed) else numpy.array(sorted(
            {nlp.vocab.strings.add(word) for words in needed for word in (words["IN"] if isinstance(words, dict) else [words])}),
            dtype="uint64")

    def patterns(self, data: dict) -> dict[str, list]:
        raise NotImplementedError

    def about(self, doc: Doc):
        """What ``accept`` reads of the whole article, gathered once."""
        return None

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        raise NotImplementedError

    def label_of(self, span: Span) -> str:
        """The label an accepted span is written with: the recognizer's."""
        return self.label

    def __call__(self, doc: Doc) -> Doc:
        if self.needed_words is not None and not numpy.isin(doc.to_array(ORTH), self.needed_words).any():
            doc.spans[self.spans_key] = []
            return doc
        about = self.about(doc)
        found = [span for shape, start, end in self.matcher(doc)
                 if (span := self.accept(doc, doc.vocab.strings[shape], doc[start:end], about)) is not None]
        kept = found if self.keep_overlapping else filter_spans(found)
        doc.spans[self.spans_key] = [Span(doc, s.start, s.end, label=self.label_of(s)) for s in kept]
        return doc


class SportsTeamRecognizer(TokenPatternRecognizer):
    """A place of the gazetteer and a plural name (``sports_team_patterns.yml``): "the Denver Broncos".

    Not a name the model reads as a person's ("Leslie Wimes": Leslie is a town too), and not in a
    title-cased headline, where every word is capitalized and a capitalized run is no evidence of a
    name ("Syria Slams …", "Hong Kong Jails …")."""

    label = "ORG"

    def patterns(self, data: dict) -> dict[str, list]:
        return {"sports_team": data["patterns"]}

    def about(self, doc: Doc):
        text = doc_text(doc)
        return text, place_names(), [(e.start, e.end) for e in doc.ents if e.label_ == "PERSON"], entities.headline_spans(text)

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        text, places, people, headlines = about
        words = [token.text for token in span]
        if any(not token.whitespace_ for token in span[:-1]) \
                or (span.start_char and (text[span.start_char - 1].isalnum() or text[span.start_char - 1] in "_'’")) \
                or (span.end_char < len(text) and (text[span.end_char].isalnum() or text[span.end_char] in "_'’-")):
            return None  # words glued by punctuation or to the words around them are no team's name
        if any(a <= span.start and span.end <= b for a, b in people) \
                or any(a <= span.start_char and span.end_char <= b for a, b in headlines):
            return None
        plural, before = words[-1], words[:-1]
        if plural in NOT_A_TEAM_WORDS or plural in ORG_SUFFIXES or span.text in places \
                or any(word.casefold() in TITLE_MINOR_WORDS for word in before):
            return None  # "China And Immigrants": a headline's words
        # The place is the whole run before the plural ("Tampa Bay", "Denver"), or its first word.
        if " ".join(before) in places or (len(before) == 2 and before[0] in places):
            return span
        return None


@Language.factory("sports_team_recognizer",
                  default_config={"spans_key": "sports_team", "patterns_file": str(SPORTS_TEAM_PATTERNS_FILE)})
def make_sports_team_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> SportsTeamRecognizer:
    return SportsTeamRecognizer(nlp, Path(patterns_file), spans_key)


@Language.factory("gazetteer_place_recognizer", default_config={"spans_key": "gazetteer"})
def make_gazetteer_place_recognizer(nlp: Language, name: str, spans_key: str) -> TextRecognizer:
    """Places the model skips, from GeoNames, where they stand after a preposition of place."""
    return TextRecognizer(spans_key, lambda doc: [entities._Span(start, end, "PLACE", "gazetteer", entities.GAZETTEER)
                                                  for start, end in gazetteer_places(doc_text(doc))])


class VenueRecognizer(TokenPatternRecognizer):
    """Named buildings and squares (``venue_patterns.yml``): "Mile High Stadium", "the Palace Hotel".
    Not a person whose surname is such a word ("Rebecca Hall"): two words opening with a given name."""

    label = "PLACE"

    def patterns(self, data: dict) -> dict[str, list]:
        name_word = dict(data["name_word"], OP="{1,3}")
        return {"venue": [[name_word, {"ORTH": {"IN": list(data["venue_words"])}, "IS_SPACE": False}]]}

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        # The regex this replaces wanted a name's words apart by spaces only, not glued by
        # punctuation ("Spider-Man" is three tokens): the whole match must be words and spaces.
        if any(not token.whitespace_ for token in span[:-1]):
            return None
        if span[0].text in ("The", "A", "An"):
            span = span[1:]
        words = [token.text for token in span]
        if len(words) < 2 or (len(words) == 2 and given_name_gender(words[0]) is not None):
            return None
        if words[0].casefold() in TITLE_MINOR_WORDS or words[0] in CALENDAR_WORDS:
            return None
        return span


@Language.factory("venue_recognizer", default_config={"patterns_file": str(VENUE_PATTERNS_FILE), "spans_key": "venue"})
def make_venue_recognizer(nlp: Language, name: str, patterns_file: str, spans_key: str) -> VenueRecognizer:
    return VenueRecognizer(nlp, Path(patterns_file), spans_key)


class StyledNameRecognizer(TokenPatternRecognizer):
    """People named by a style or a title (``person_name_patterns.yml``): "Prince Harry", "Sarah,
    Duchess of York", "the Duke of Kent"; and names with a nickname in quote marks inside
    ('Robert C. "Bobby" Scott'). The name a style or a comma puts before a title must be a given
    name the given-name list knows: "Queen Latifah" is the model's to read, "Windsor, Duke of Kent"
    no one's; a name with a nickname must open with a known given name or have one as the nickname."""

    label = "PERSON"

    def patterns(self, data: dict) -> dict[str, list]:
        return {shape: data[shape] for shape in ("styled_given_name", "peerage", "nickname_inside")}

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        if shape == "nickname_inside":
            return self._name_with_a_nickname(doc, span)
        if shape == "styled_given_name" and given_name_gender(span[1].text) is None:
            return None
        if shape == "peerage" and span.start >= 2 and doc[span.start - 1].text == "," \
                and doc[span.start - 2].is_title and given_name_gender(doc[span.start - 2].text) is not None:
            span = doc[span.start - 2:span.end]  # "Sarah, Duchess of York": the given name the title follows
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.is_title and after.is_alpha and span[-1].whitespace_:
            return None  # the name runs on ("Queen Mary University"): not all of it was matched
        return span

    @staticmethod
    def _name_with_a_nickname(doc: Doc, span: Span) -> Span | None:
        opening = next(token for token in span if token.text in ("\"", "“", "‘"))
        closing = span[-2]
        nickname = doc[opening.i + 1:closing.i]
        if opening.whitespace_ or nickname[-1].whitespace_ or not closing.whitespace_:
            return None  # the marks hug the nickname, and spaces part it from the names: no quotation
        if any("\n" in token.whitespace_ or not token.whitespace_ for token in span[:opening.i - span.start]) \
                or any("\n" in token.whitespace_ for token in span[:-1]):
            return None
        if given_name_gender(span[0].text) is None and given_name_gender(nickname[0].text) is None:
            return None
        end = span.end
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_title and doc[end + 1].is_alpha:
            end += 2  # a family name joined by a hyphen ("Crouse-Mays")
        return doc[span.start:end]


@Language.factory("styled_name_recognizer",
                  default_config={"spans_key": "styled_name", "patterns_file": str(PERSON_NAME_PATTERNS_FILE)})
def make_styled_name_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> StyledNameRecognizer:
    return StyledNameRecognizer(nlp, Path(patterns_file), spans_key)


class IntroducedPersonRecognizer(TokenPatternRecognizer):
    """A name right after a possessive and a relation noun ("Their mother Sharon") or after a job noun
    ("advocate Sudhanva DS"), from ``person_name_patterns.yml``: the name alone, where the cue and the
    name stand apart by a space on one line and the name does not run on into more capitalized words."""

    label = "PERSON"

    def patterns(self, data: dict) -> dict[str, list]:
        return {shape: data[shape] for shape in ("after_relation_noun", "after_role_noun")}

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        before = doc[span.start - 1] if span.start else None
        if shape == "after_role_noun" and before is not None \
                and (before.tag_ in ("PRP", "MD") or before.pos_ == "AUX" or before.lower_ == "to"):
            return None  # "they host Spain", "will head Dole": after a subject or an auxiliary the job word is a verb
        cue_end = next((token.i for token in span if token.text[:1].isupper() and token.i > span.start
                        and doc[token.i - 1].text.islower()), None)
        if cue_end is None:
            return None  # no lower-case cue before a capitalised name (the patterns write cues in lower case)
        name = doc[cue_end:span.end]
        if any(token.whitespace_ != " " for token in doc[cue_end - 1:span.end - 1]):
            return None  # glued or across a line: "brother-Jack", "mother\n\nSharon"
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and span[-1].whitespace_ and (after.is_title or after.is_upper) and after.is_alpha:
            return None  # the name runs on ("producer Warner Bros Pictures"): not all of it was matched
        words = [token.text for token in name]
        if words[0] in CALENDAR_WORDS or words[0].casefold() in lexicon.HONORIFIC_WORDS | lexicon.ROLE_NOUNS \
                or words[-1] in ORG_SUFFIXES or words[-1].casefold() in lexicon.PLACE_HEADS:
            return None  # "director General", "partner Netflix Inc": an office or a company, no name
        return name


@Language.factory("introduced_person_recognizer",
                  default_config={"spans_key": "introduced_person", "patterns_file": str(PERSON_NAME_PATTERNS_FILE)})
def make_introduced_person_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> IntroducedPersonRecognizer:
    return IntroducedPersonRecognizer(nlp, Path(patterns_file), spans_key)


# Characters a word of a company's name may hold glued to it ("Disney+", "AT&T", "Lions-Gate").
_NAME_GLUE = frozenset("&'’.+-")


class CompanyKindRecognizer(TokenPatternRecognizer):
    """A name right after the kind of company it is (``company_kind_patterns.yml``): "rival distributor
    Greyhound 9", "streamer Corvid". The name is the words from the matched capital on, up to four, each
    capitalized or a number, apart by spaces on one line; not an owner's possessive, and not a day or
    month, nor a name the sentence opens with an article ("the network The CW" is left to the model)."""

    label = "ORG"

    def patterns(self, data: dict) -> dict[str, list]:
        return {"kind_then_name": data["kind_then_name"]}

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        first = span[-1]
        kind = next(token for token in reversed(span[:-1]) if not token.is_space)
        gap = kind.whitespace_ + "".join(token.text_with_ws for token in doc[kind.i + 1:first.i])
        if not gap or "\n" in gap or not first.text[:1].isupper() or first.text in ("The", "A") \
                or first.text in CALENDAR_WORDS:
            return None
        end, words = first.i + 1, 1
        while end < len(doc):
            token, before = doc[end], doc[end - 1]
            if before.whitespace_:
                if "\n" in before.whitespace_ or words == 4 or not (token.text[:1].isupper() or token.is_digit):
                    break
                words += 1
            elif token.lower_ in ("’s", "'s") or token.is_sent_end and token.is_punct \
                    or not (token.is_alpha or token.is_digit or token.text in _NAME_GLUE):
                break
            end += 1
        while end > first.i + 1 and doc[end - 1].text in _NAME_GLUE - {"+"}:
            end -= 1  # a sentence's full stop, a dash: "+" ends a streamer's name ("Disney+")
        return doc[first.i:end]


@Language.factory("company_kind_recognizer",
                  default_config={"spans_key": "company_kind", "patterns_file": str(COMPANY_KIND_PATTERNS_FILE)})
def make_company_kind_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> CompanyKindRecognizer:
    return CompanyKindRecognizer(nlp, Path(patterns_file), spans_key)


class ContextRecognizer(TokenPatternRecognizer):
    """Names the words around them make a kind of thing (a context file: ``title_contexts.yml``,
    ``fashion_contexts.yml``): token patterns of words a name follows (``before``) and of words it
    comes right before (``after``).
    ``find(doc, contexts)`` takes the names from where they may start and end (``context_positions``)."""

    def __init__(self, nlp: Language, patterns_file: Path, spans_key: str, find: Callable[[Doc, dict], list]):
        super().__init__(nlp, patterns_file, spans_key)
        self.find = find

    def patterns(self, data: dict) -> dict[str, list]:
        return {"before": data["before"], "after": data["after"]}

    def context_positions(self, doc: Doc) -> dict[str, list[int]]:
        """Where a name may start (after a ``before`` match and a run of spaces or tabs) and end (before
        an ``after`` match, past spaces or tabs only, right after a word, a quote mark or a bracket),
        each in the text's order."""
        text = doc_text(doc)
        starts, ends = set(), set()
        for shape, first, last in self.matcher(doc):
            if doc.vocab.strings[shape] == "before":
                position = doc[last - 1].idx + len(doc[last - 1].text)
                start = position
                while start < len(text) and text[start] in " \t":
                    start += 1
                if start > position:
                    starts.add(start)
            else:
                end = doc[first].idx
                while end and text[end - 1] in " \t":
                    end -= 1
                if end and (text[end - 1].isalnum() or text[end - 1] in "_'’)"):
                    ends.add(end)
        return {"before": sorted(starts), "after": sorted(ends)}

    def __call__(self, doc: Doc) -> Doc:
        return _write_candidates(doc, self.spans_key, self.find(doc, self.context_positions(doc)))


@Language.factory("context_title_recognizer",
                  default_config={"spans_key": "context_title", "patterns_file": str(HERE / "title_contexts.yml")})
def make_context_title_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> ContextRecognizer:
    return ContextRecognizer(nlp, Path(patterns_file), spans_key, lambda doc, contexts: entities.context_titles(doc_text(doc), doc, contexts))


@Language.factory("fashion_house_recognizer",
                  default_config={"spans_key": "fashion_house", "patterns_file": str(HERE / "fashion_contexts.yml")})
def make_fashion_house_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> ContextRecognizer:
    return ContextRecognizer(nlp, Path(patterns_file), spans_key, lambda doc, contexts: entities.fashion_houses(doc_text(doc), doc, contexts))


# The label of a part cue that follows the part's name (``after_a_part``): ", the film's villain".
PART_DESCRIBED = "PART_DESCRIBED"


class PartCueRecognizer(TokenPatternRecognizer):
    """The words a part played is named right after (``part_cues.yml``): "plays", "the role of",
    "character". Its spans are the cues (PART_CUE), no entity: the entity stage takes a person
    named right after one as a character (``entities.part_name_starts``)."""

    label = "PART_CUE"
    keep_overlapping = True  # "played the small role" and "role of reporter": only the second names a part

    def patterns(self, data: dict) -> dict[str, list]:
        self.longest_cue_words = data["longest_cue_words"]
        return {"before_a_part": data["before_a_part"], "after_a_part": data["after_a_part"]}

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        if shape == "after_a_part":
            return Span(doc, span.start, span.end, label=PART_DESCRIBED)
        return span if len(span.text.split()) <= self.longest_cue_words else None

    def label_of(self, span: Span) -> str:
        return span.label_ or self.label


@Language.factory("part_cue_recognizer", default_config={"spans_key": "part_cue", "patterns_file": str(PART_CUES_FILE)})
def make_part_cue_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> PartCueRecognizer:
    return PartCueRecognizer(nlp, Path(patterns_file), spans_key)


# Tokens written glued to the word before them in a cue: a hyphen's parts ("follow-up"), an owner's
# "’s", a listing's comma ("films, such as").
_GLUED_IN_A_CUE = frozenset({"-", ",", "’s", "'s"})


class TitleCueRecognizer(TokenPatternRecognizer):
    """Titles the words before or after them make works (``title_cues.yml``): "the thriller Night
    Ferry", "films such as Ghost Town", "a project titled Blue Hour", "Harbor Lights, the drama from …".
    ``find(doc, cues)`` takes the titles from where the cues of ``shapes`` say they start or end
    (``cue_positions``); a word list's hyphenated words are matched as the tokens they are made of."""

    def __init__(self, nlp: Language, patterns_file: Path, spans_key: str, find: Callable[[Doc, dict], list],
                 shapes: tuple[str, ...]):
        self.nlp, self.shapes, self.find = nlp, shapes, find
        super().__init__(nlp, patterns_file, spans_key)

    def patterns(self, data: dict) -> dict[str, list]:
        self.longest_description_words = data["longest_description_words"]
        self.not_a_description_word = frozenset(data["not_a_description_word"])
        self.not_after_the_genre_noun = data["not_after_the_genre_noun"]
        shapes = {shape: data[shape] for shape in self.shapes}
        if "before_a_title" in shapes:
            cues = shapes.pop("before_a_title")
            shapes[entities.CUE_PLAIN] = cues
            shapes[entities.CUE_LISTING] = [cue + tail for cue in cues for tail in data["listing_after_a_cue"]]
            shapes[entities.CUE_APPOSITION] = [cue + tail for cue in cues for tail in data["apposition_after_a_cue"]]
        return {shape: [split for pattern in patterns for split in self._with_hyphenated_words(pattern)]
                for shape, patterns in shapes.items()}

    def _with_hyphenated_words(self, pattern: list[dict]) -> list[list[dict]]:
        """``pattern``, and for each word of a word list it names that the tokenizer splits ("spin-off"),
        the pattern with that word's tokens in the list's place."""
        patterns = [pattern]
        for at, token in enumerate(pattern):
            for attr, value in token.items():
                if isinstance(value, dict) and isinstance(value.get("IN"), str):
                    for word in sorted(lexicon.word_list(value["IN"])):
                        pieces = [piece.text for piece in self.nlp.make_doc(word)]
                        if len(pieces) > 1:
                            spelled = [{attr: piece.lower() if attr == "LOWER" else piece} for piece in pieces]
                            patterns.append(pattern[:at] + spelled + pattern[at + 1:])
        return patterns

    @staticmethod
    def _spaced_as_written(span: Span) -> bool:
        """Whether the cue's words are apart by white space, and its glued tokens glued."""
        for before, token in zip(span, span[1:]):
            glued = token.text in _GLUED_IN_A_CUE or before.text == "-"
            if bool(before.whitespace_) == glued:
                return False
        return True

    @staticmethod
    def _title_may_start(text: str, end: int) -> int | None:
        """Where a title starts after a cue ending at ``end``: past white space (at least one character),
        at a capital letter or a digit."""
        at = end
        while at < len(text) and text[at].isspace():
            at += 1
        if at == end or at == len(text) or not ("A" <= text[at] <= "Z" or "0" <= text[at] <= "9"):
            return None
        return at

    def _describes_a_work(self, doc: Doc, span: Span) -> bool:
        """A ``described_after`` match: the comma and the article apart from what follows by white space,
        at most ``longest_description_words`` words between article and genre noun, none of them one a
        description does not open with, and the genre noun not a person's school."""
        comma, article, genre = span[0], span[1], span[-1]
        if not comma.whitespace_ or not article.whitespace_ or (len(span) > 3 and not span[-2].whitespace_):
            return False
        words, opens_word = 0, True
        for token in span[2:-1]:
            if opens_word:
                words += 1
                if token.text in self.not_a_description_word:
                    return False
            opens_word = bool(token.whitespace_)
        if words > self.longest_description_words:
            return False
        after = doc_text(doc)[genre.idx + len(genre.text):genre.idx + len(genre.text) + 40]
        return not (after[:1].isspace() and after.lstrip().startswith(self.not_after_the_genre_noun))

    def cue_positions(self, doc: Doc) -> dict:
        """Where titles may start after a ``before_a_title`` cue (with how the cue leads to them), after a
        ``naming`` cue whose sentence speaks of a work before it, and where a ``described_after``
        description opens: each in the text's order."""
        text = doc_text(doc)
        matches = [(doc.vocab.strings[shape], doc[start:end]) for shape, start, end in self.matcher(doc)]
        work_words = [span for shape, span in matches if shape == "work_before_naming" and self._spaced_as_written(span)]
        title_starts: dict[int, str] = {}
        naming_ends, description_starts = set(), set()
        for shape, span in sorted(matches, key=lambda match: match[1].start_char):
            if shape == "described_after":
                if self._describes_a_work(doc, span):
                    description_starts.add(span.start_char)
                continue
            if shape == "work_before_naming" or not self._spaced_as_written(span):
                continue
            at = self._title_may_start(text, span.end_char)
            if at is None:
                continue
            if shape == "naming":
                opens = entities.sentence_start(doc, span.start_char)
                if any(opens <= word.start_char and word.end_char <= span.start_char for word in work_words):
                    naming_ends.add(at)
            elif at not in title_starts:
                of_a_work = shape == entities.CUE_PLAIN and span[-1].text in ("to", "of")
                title_starts[at] = entities.CUE_OF_A_WORK if of_a_work else shape
        return {"before_a_title": sorted(title_starts.items()), "naming": sorted(naming_ends),
                "described_after": sorted(description_starts)}

    def __call__(self, doc: Doc) -> Doc:
        return _write_candidates(doc, self.spans_key, self.find(doc, self.cue_positions(doc)))


@Language.factory("cue_title_recognizer",
                  default_config={"spans_key": "cue_title", "patterns_file": str(TITLE_CUES_FILE)})
def make_cue_title_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> TitleCueRecognizer:
    """A work named after a genre noun, "titled", or before "franchise", "sequel" and the like."""
    # What the model reads as a place, nationality or date is no work, whatever cue stands before it
    # ("his book April 7", "the show Nigerian actress …"), as for the context titles; but only the
    # whole run: the model reads part of a title so too ("The 40-Year-Old Virgin" holds a "date").
    def find(doc: Doc, cues: dict) -> list:
        text = doc_text(doc)
        return [s for s in entities.cue_titles(text, cues["before_a_title"]) + entities.named_titles(text, cues["naming"])
                + entities.franchise_titles(text)
                if not entities.model_reads_no_work(doc, s.start, s.end, whole=True)]
    return TitleCueRecognizer(nlp, Path(patterns_file), spans_key, find,
                              ("before_a_title", "naming", "work_before_naming"))


@Language.factory("appositive_title_recognizer",
                  default_config={"spans_key": "appositive_title", "patterns_file": str(TITLE_CUES_FILE)})
def make_appositive_title_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> TitleCueRecognizer:
    return TitleCueRecognizer(nlp, Path(patterns_file), spans_key,
                              lambda doc, cues: entities.appositive_titles(doc_text(doc), cues["described_after"]),
                              ("described_after",))


class TranscriptLabelRecognizer(TokenPatternRecognizer):
    """A transcript's speaker label (``transcript_labels.yml``): a name in capitals and a colon opening
    a line, or a quoted turn ("WALLACE: …", "“Q: …"). NONE spans: no entity overlaps one, so no title
    holds or opens with a label."""

    label = "NONE"

    def patterns(self, data: dict) -> dict[str, list]:
        self.longest_label_words = data["longest_label_words"]
        self.opening_marks = frozenset(data["opening_marks"])
        return {"label": data["label"]}

    def _opens_a_line(self, doc: Doc, at: int) -> bool:
        if at > 0 and doc[at - 1].text in self.opening_marks and not doc[at - 1].whitespace_:
            at -= 1
        return at == 0 or (doc[at - 1].is_space and "\n" in doc[at - 1].text)

    def accept(self, doc: Doc, shape: str, span: Span, about) -> Span | None:
        name, colon = span[:-1], span[-1]
        if not name[0].text[:1].isupper() or not colon.whitespace_ or not self._opens_a_line(doc, span.start):
            return None
        if len(name.text.split()) > self.longest_label_words:
            return None
        return span


@Language.factory("transcript_label_recognizer",
                  default_config={"spans_key": "transcript_label", "patterns_file": str(TRANSCRIPT_LABELS_FILE)})
def make_transcript_label_recognizer(nlp: Language, name: str, spans_key: str, patterns_file: str) -> TranscriptLabelRecognizer:
    return TranscriptLabelRecognizer(nlp, Path(patterns_file), spans_key)
