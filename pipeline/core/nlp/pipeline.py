"""The spaCy pipeline the NLP stage runs, and the version of our rules.

The model's own components (tok2vec, tagger, parser, attribute ruler,
lemmatizer, ner) plus ``paragraph_sentences``, registered with spaCy: a
paragraph break always starts a sentence, so neither the parser nor anything
reading its sentences joins two paragraphs (a caption and the line after it,
a category heading and its winner).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc

from ..versions import code_version

HERE = Path(__file__).resolve().parent
SPEECH_CUES_FILE = HERE / "speech_cues.yml"
MEDIA_ORGANISATIONS_FILE = HERE / "media_organisations.yml"
PAGE_FURNITURE_FILE = HERE / "page_furniture.yml"
TITLE_CONTEXTS_FILE = HERE / "title_contexts.yml"
FASHION_CONTEXTS_FILE = HERE / "fashion_contexts.yml"


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every blank line (our paragraph separator); the parser keeps preset starts."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_pipeline(model_name: str, with_ner: bool = True) -> Language:
    """The model with our components added; NER left out when only the parse is needed."""
    import spacy

    nlp = spacy.load(model_name, exclude=[] if with_ner else ["ner"])
    if "parser" in nlp.pipe_names and "paragraph_sentences" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", before="parser")
    return nlp


def add_entity_rulers(nlp: Language) -> Language:
    """Add our recognizer components: those of ``recognizers.yml`` (``recognizers.py``), then the
    SpanRuler of media organisations (``media_organisations.yml``), matched on exact spelling. Their
    spans go to ``doc.spans``, never to ``doc.ents``, so one policy (the entity stage's) settles
    overlaps with the model's entities."""
    from .recognizers import add_recognizers

    add_recognizers(nlp)
    if "media_organisations" in nlp.pipe_names:
        return nlp
    names = yaml.safe_load(MEDIA_ORGANISATIONS_FILE.read_text(encoding="utf-8"))["organisations"]
    ruler = nlp.add_pipe("span_ruler", name="media_organisations",
                         config={"spans_key": "media_organisations", "phrase_matcher_attr": "ORTH", "overwrite": True})
    # Mid-sentence the article of a listed name is written lower-case ("the editorial board of the
    # Washington Post"); a name of one word after it ("The Sun") is too common a word to match so.
    names = [str(name) for name in names]
    names += [name.replace("The ", "the ", 1) for name in names if name.startswith("The ") and len(name.split()) >= 3]
    ruler.add_patterns([{"label": "ORG", "pattern": name} for name in names])
    return nlp


def _lexicons(path: Path) -> dict[str, frozenset[str]]:
    """Each list of a lexicon file, as a set of strings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: frozenset(str(value) for value in values) for key, values in data.items()}


@functools.lru_cache(maxsize=4)
def page_furniture(path: Path = PAGE_FURNITURE_FILE) -> dict[str, frozenset[str]]:
    """Paragraph labels, award-category openers and work-category words (``page_furniture.yml``)."""
    return _lexicons(Path(path))


@functools.lru_cache(maxsize=4)
def bracketed_furniture(path: Path = PAGE_FURNITURE_FILE) -> "re.Pattern[str]":
    """A furniture label in brackets inside a paragraph, with what follows it up to the closing
    bracket: "(RELATED: Kentucky Basketball’s Christmas Card …)" holds another story's headline."""
    labels = sorted(page_furniture(path)["labels"], key=len, reverse=True)
    words = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"[(\[][ \t]*(?i:{words})[ \t]*:[^()\[\]\n]{{0,200}}[)\]]")


@functools.lru_cache(maxsize=1)
def speech_cues() -> dict[str, frozenset[str]]:
    """The cue lexicons of ``speech_cues.yml``: direct, reported, according and nouns, each a set of lemmas."""
    return _lexicons(SPEECH_CUES_FILE)


def lower_in_place(text: str) -> str:
    """``text`` lower-cased letter by letter, offsets kept: matching lower-cased text is several times
    faster than matching case-insensitively, and the few letters whose lower case is longer ("İ")
    stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def rules_version(*sources) -> str:
    """A short hash of our rules: the source of the given modules and data files.

    Stored with each article's extraction state, so a changed rule or lexicon
    re-extracts landed articles on the next run without a full refresh. This
    module (the pipeline's own components) is always part of it.
    """
    return code_version(Path(__file__), *sources)
