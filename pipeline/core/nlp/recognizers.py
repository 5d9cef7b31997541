"""Entity recognizers registered as spaCy components.

Each writes its candidate spans to ``doc.spans[<its name>]``, labelled with the entity type it
proposes; the entity stage's typing policy (``core.nlp.entities``) decides between them and the
model's entities. Patterns about words are token patterns in data files beside this module.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .given_names import given_name_gender
from .lexicon import CALENDAR_WORDS, TITLE_MINOR_WORDS

HERE = Path(__file__).resolve().parent
VENUE_PATTERNS_FILE = HERE / "venue_patterns.yml"


class VenueRecognizer:
    """Named buildings and squares (``venue_patterns.yml``): "Mile High Stadium", "the Palace Hotel".
    Not a person whose surname is such a word ("Rebecca Hall"): two words opening with a given name."""

    def __init__(self, nlp: Language, patterns_file: Path, spans_key: str):
        data = yaml.safe_load(Path(patterns_file).read_text(encoding="utf-8"))
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab)
        name_word = dict(data["name_word"], OP="{1,3}")
        self.matcher.add("PLACE", [[name_word, {"ORTH": {"IN": list(data["venue_words"])}, "IS_SPACE": False}]])

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for _, start, end in self.matcher(doc):
            # The regex this replaces wanted a name's words apart by spaces only, not glued by
            # punctuation ("Spider-Man" is three tokens): the whole match must be words and spaces.
            if any(not token.whitespace_ for token in doc[start:end - 1]):
                continue
            if doc[start].text in ("The", "A", "An"):
                start += 1
            words = [token.text for token in doc[start:end]]
            if len(words) < 2 or (len(words) == 2 and given_name_gender(words[0]) is not None):
                continue
            if words[0].casefold() in TITLE_MINOR_WORDS or words[0] in CALENDAR_WORDS:
                continue
            found.append(doc[start:end])
        doc.spans[self.spans_key] = [doc.char_span(s.start_char, s.end_char, label="PLACE") for s in filter_spans(found)]
        return doc


@Language.factory("venue_recognizer", default_config={"patterns_file": str(VENUE_PATTERNS_FILE), "spans_key": "venue"})
def make_venue_recognizer(nlp: Language, name: str, patterns_file: str, spans_key: str) -> VenueRecognizer:
    return VenueRecognizer(nlp, Path(patterns_file), spans_key)
