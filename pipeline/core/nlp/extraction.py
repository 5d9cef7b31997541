"""One pass of the spaCy pipeline over an article gives its mentions and its quotes.

The article is parsed once, with every component the rules read (tok2vec,
tagger, parser, lemmatizer, NER, our paragraph sentences and media-organisation
ruler); the entity rules and the quote rules then read that same ``Doc``.

``ArticleReader`` runs that pass in this process or, for runs big enough to
pay for starting them, in a pool of worker processes that keep the model for
the whole run. An article's result depends on its text, the model and the
rules only, so it is the same whichever process reads it and whatever else is
in the batch; results come back in the order given.

The workers are forked from a server process (multiprocessing's fork server)
that has imported spaCy and the rules and loaded the model, the gazetteer and
the given names once. Spawning each worker fresh cost ~2 s of a core apiece
(0.7 s of imports, 0.6 s for the model, 0.7 s for the data), paid when the NLP
step began, on both cores at once. ``start_worker_server`` starts the server
when ingest finds enough new files for a pass on workers (``NlpSettings.prepare_workers``),
so it loads on the core that ingest (single-threaded) leaves idle, and a worker is a
fork away when it is needed; a run with nothing new starts none. The server starts clean, with no thread or lock of Dagster's, which a
plain fork of the run's own process would inherit.

What a worker sends back for the stage to land is its chunk's rows as Polars frames
(``submit_frames``, ``StageFrames``), which pickle as their columns' buffers; the extractions
themselves (``submit``), thousands of small Python objects a batch, cost 0.8 ms an article to
pickle in the worker and unpickle here, on top of building the frames from them.

Given a Dask client (``pipeline.core.distributed``), the reader sends the same chunks to
the cluster's workers instead, each of which keeps the model loaded (``WorkerSetupPlugin``): the
path beyond one machine. On one machine the fork server stays: it measured faster (see
docs/deployment.md), having loaded the model before the NLP step begins.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.forkserver
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Sequence

import polars as pl
from spacy.language import Language

from . import entities as entity_rules, given_names, lexicon, paragraphs, places, quotes as quote_rules
from . import attribution, recognizers, speaker_ranker
from . import cue_patterns, quote_marks, speaker_resolution, speaker_rules, speech_spans
from . import event_dates, events as event_rules
from .pipeline import (
    FASHION_CONTEXTS_FILE, MEDIA_ORGANISATIONS_FILE, PAGE_FURNITURE_FILE, SPEECH_CUES_FILE, TITLE_CONTEXTS_FILE, add_entity_rulers,
    load_pipeline,
    rules_version,
)

# Below this many articles a run reads them in its own process: starting workers
# (each imports spaCy and loads the model, ~3 s) would cost more than it saves.
MIN_ARTICLES_FOR_WORKERS = 64


@dataclass(frozen=True)
class ArticleText:
    """What the NLP pass reads of an article."""

    article_id: str
    text: str
    italic_spans: tuple = ()
    headline: str | None = None
    published_date: object = None  # a datetime.date: events' dates resolve against it


@dataclass
class ArticleExtraction:
    """What one article yields: its entity mentions and its quotes (direct and reported)."""

    article_id: str
    text: str
    mentions: list[entity_rules.EntityMention]
    quotes: list[quote_rules.Quote]
    # The mentions as the quote rules saw them, with their entity ids (quote-to-title links read them).
    quote_mentions: list[quote_rules.Mention] = field(default_factory=list)
    events: list[event_rules.Event] = field(default_factory=list)


def stage_version(model_name: str) -> str:
    """``MODEL:RULES``: what an article's mentions and quotes depend on besides its text.

    Stored with each article's extraction state, so a changed rule, lexicon or
    model re-extracts landed articles on the next run without a full refresh.
    """
    # The speaker model's bytes too: a retrained model re-extracts landed articles.
    sources = (Path(__file__), entity_rules, quote_rules, quote_marks, speech_spans, cue_patterns, speaker_rules,
               speaker_resolution, attribution, recognizers, speaker_ranker, paragraphs, lexicon, given_names, places,
               MEDIA_ORGANISATIONS_FILE, PAGE_FURNITURE_FILE, SPEECH_CUES_FILE, TITLE_CONTEXTS_FILE, FASHION_CONTEXTS_FILE,
               recognizers.VENUE_PATTERNS_FILE, recognizers.RECOGNIZERS_FILE, recognizers.SPORTS_TEAM_PATTERNS_FILE,
               recognizers.PERSON_NAME_PATTERNS_FILE, recognizers.COMPANY_KIND_PATTERNS_FILE, recognizers.PART_CUES_FILE,
               recognizers.TITLE_CUES_FILE, recognizers.TRANSCRIPT_LABELS_FILE,
               lexicon.ENTITY_WORDS_FILE, speaker_ranker.MODEL_FILE, event_rules, event_dates, event_rules.EVENT_PATTERNS_FILE)
    return f"{model_name}:{rules_version(*sources)}"


@functools.lru_cache(maxsize=4)
def load_stage_pipeline(model_name: str) -> Language:
    """The model with all its components (parser and NER both pay: quotes read the parse, entities
    the NER), plus ``paragraph_sentences`` and the media-organisation ruler."""
    return add_entity_rulers(load_pipeline(model_name, with_ner=True))


def article_mentions(article: ArticleText, doc) -> tuple[list[entity_rules.EntityMention], list[quote_rules.Mention]]:
    """The entity mentions of one parsed article, and the same mentions as the quote rules read them
    (with their entity ids, in reading order): what the speaker ranker's training reads too."""
    spans = entity_rules.recognize(article.text, doc, article.italic_spans or (), article.headline)
    mentions = entity_rules.resolve(article.text, spans, doc)
    quote_mentions = sorted(
        (quote_rules.Mention(m.start, m.end, m.text, m.entity_type, m.name,
                             entity_rules.entity_id_for(m.entity_type, m.name), m.method) for m in mentions),
        key=lambda m: (m.start, m.end),
    )
    return mentions, quote_mentions


def read_article(article: ArticleText, doc) -> ArticleExtraction:
    """Mentions, then quotes (whose speakers resolve to those mentions) and events (whose entities are
    those mentions), from one parsed article."""
    mentions, quote_mentions = article_mentions(article, doc)
    found = quote_rules.extract_quotes(article.text, quote_mentions, doc, article.headline)
    events = event_rules.extract_events(article.text, doc, quote_mentions, article.published_date)
    return ArticleExtraction(article.article_id, article.text, mentions, found, quote_mentions, events)


def _unread_doc(nlp: Language, article: ArticleText):
    """The article's tokens with what the page says beside its text (its italic runs), for the recognizers."""
    doc = nlp.make_doc(article.text)
    doc._.italic_spans = tuple(article.italic_spans or ())
    return doc


def read_articles(articles: Sequence[ArticleText], model_name: str, batch_size: int = 32) -> list[ArticleExtraction]:
    """Read articles in this process, streamed through ``nlp.pipe``."""
    nlp = load_stage_pipeline(model_name)
    docs = nlp.pipe((_unread_doc(nlp, article) for article in articles), batch_size=batch_size)
    return [read_article(article, doc) for article, doc in zip(articles, docs)]


@dataclass
class StageFrames:
    """A batch's rows of the stage's tables, in the order of its articles, as the stage lands them."""

    mentions: pl.DataFrame
    quotes: pl.DataFrame
    quote_titles: pl.DataFrame
    events: pl.DataFrame

    @classmethod
    def concat(cls, parts: Sequence["StageFrames"]) -> "StageFrames":
        return cls(*(pl.concat([getattr(part, f.name) for part in parts], how="vertical") for f in fields(cls)))


def stage_frames(extractions: Sequence[ArticleExtraction]) -> StageFrames:
    """The rows of the stage's tables for these extractions (each article's rows are its own, so the
    frames of a batch are those of its chunks put end to end)."""
    quotes, links = quote_rules.quote_frames({e.article_id: (e.text, e.quotes, e.quote_mentions) for e in extractions})
    return StageFrames(
        mentions=entity_rules.mentions_frame({e.article_id: e.mentions for e in extractions}),
        quotes=quotes,
        quote_titles=links,
        events=event_rules.events_frame({e.article_id: e.events for e in extractions}),
    )


def read_articles_as_frames(articles: Sequence[ArticleText], model_name: str, batch_size: int = 32) -> StageFrames:
    """``read_articles``, as the rows the stage lands: what a worker sends back."""
    return stage_frames(read_articles(articles, model_name, batch_size))


def read_text(text: str, model_name: str, italic_spans=(), headline: str | None = None,
              published_date=None) -> ArticleExtraction:
    """One article's mentions, quotes and events, from its text alone (tests and notebooks)."""
    return read_articles([ArticleText("article", text, tuple(italic_spans), headline, published_date)], model_name)[0]


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Imported by the fork server (see ``start_worker_server``), never by the pipeline itself.
_SERVER_PRELOAD = "pipeline.core.nlp.worker_preload"


def warm_up(model_name: str) -> None:
    """Load what reading an article needs, once per process: the stage's pipeline, the
    gazetteer of places, the given-name list and the events rules with dateparser's data (each
    cached for the process's life)."""
    load_stage_pipeline(model_name)
    places.place_names()
    given_names.name_detector()
    event_rules.warm_up(load_stage_pipeline(model_name).vocab)


def start_worker_server() -> None:
    """Start the fork server the readers' workers come from, if it is not running; returns at once.

    The server preloads the model named by FILM_NEWS_SPACY_MODEL (the project's default model
    otherwise): the one the resources configure. A run configured with another model gets
    it loaded by each worker instead (``_start_worker``), a little later, with the same result.
    """
    multiprocessing.get_context("forkserver").set_forkserver_preload([_SERVER_PRELOAD])
    multiprocessing.forkserver.ensure_running()


def _start_worker(model_name: str) -> None:
    warm_up(model_name)  # a no-op for what the fork server loaded already


def _done(value) -> Future:
    future = Future()
    future.set_result(value)
    return future


class PendingBatch:
    """A batch handed to the reader: its parts, read or being read, in the order submitted."""

    def __init__(self, parts: list):
        self._parts = parts  # futures (read here, by the process pool, or by Dask) of one chunk each

    def result(self) -> list[ArticleExtraction]:
        return [extraction for part in self._parts for extraction in part.result()]


class PendingFrames(PendingBatch):
    """A batch handed to the reader for its rows (``ArticleReader.submit_frames``)."""

    def result(self) -> StageFrames:
        return StageFrames.concat([part.result() for part in self._parts])


class ArticleReader:
    """Reads batches of articles with the stage's pipeline, in worker processes when that pays.

    ``submit`` hands a batch over and returns at once, so the caller can write
    the previous batch while this one is read; ``PendingBatch.result`` gives the
    batch's extractions in the order submitted. Use as a context manager: the
    workers stop at the end of the run.
    """

    def __init__(self, model_name: str, processes: int, expected_articles: int, batch_size: int = 32,
                 dask_client=None):
        self.model_name = model_name
        self.batch_size = batch_size
        self.processes = max(1, processes)
        self._pool: ProcessPoolExecutor | None = None
        self._dask = None
        if dask_client is not None and expected_articles > 0:
            from ..distributed import worker_count

            self._dask = dask_client
            self.processes = worker_count(dask_client)
        elif self.processes > 1 and expected_articles >= MIN_ARTICLES_FOR_WORKERS:
            # Forked from the fork server, not from this process: the caller (Dagster) holds threads and
            # locks a forked child must not inherit.
            start_worker_server()
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker, initargs=(model_name,),
            )

    @property
    def uses_workers(self) -> bool:
        return self._pool is not None or self._dask is not None

    def submit(self, articles: Sequence[ArticleText]) -> PendingBatch:
        """Read the batch; its ``result()`` is the articles' extractions."""
        return PendingBatch(self._read(read_articles, articles))

    def submit_frames(self, articles: Sequence[ArticleText]) -> PendingFrames:
        """Read the batch; its ``result()`` is the rows the stage lands (``StageFrames``), built where
        the articles were read."""
        return PendingFrames(self._read(read_articles_as_frames, articles))

    def _read(self, reader, articles: Sequence[ArticleText]) -> list[Future]:
        if not self.uses_workers:
            return [_done(reader(articles, self.model_name, self.batch_size))]
        # Several chunks per worker, so one slow article does not leave the other core idle for long.
        chunk = max(1, -(-len(articles) // (self.processes * 4)))
        chunks = [list(articles[i:i + chunk]) for i in range(0, len(articles), chunk)]
        if self._dask is not None:
            # pure=False: a chunk is read again if submitted again (the rules may have changed in between).
            return [self._dask.submit(reader, part, self.model_name, self.batch_size, pure=False) for part in chunks]
        return [self._pool.submit(reader, part, self.model_name, self.batch_size) for part in chunks]

    def __enter__(self) -> "ArticleReader":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
