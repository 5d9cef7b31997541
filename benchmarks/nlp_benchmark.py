"""Speed and memory of the NLP stage, beside a bare spaCy pass over the same texts.

Usage:  python benchmarks/nlp_benchmark.py [--articles 400] [--batch 100] [--model NAME]

The corpus is the bundled sample articles, the project's own gold test
articles and, when ../shared is beside the project, the film pages there,
cycled to --articles texts. In one process, prints words/s and articles/s for:
  bare nlp.pipe      the model with all its components (the ones the stage runs), nothing else
  NLP stage          read_articles: the same pass plus our components, the entity rules and the
                     quote rules (attribution from the parse, reported speech, then the patterns)
                     and the events rules
  events step        the part of the stage spent in the events rules (issue 25 allows 10%)
and the process's resident memory after each batch, which should stay flat.
Two processes and the whole graph: ``make bench`` (pipeline_benchmark.py).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.cleaning import count_words, extract_html_article, parse_text_article  # noqa: E402
from pipeline.core.nlp import extraction as nlp_extraction  # noqa: E402
from pipeline.core.nlp.extraction import ArticleText, load_stage_pipeline, read_articles  # noqa: E402
from pipeline.core.errors import DocumentRejected  # noqa: E402
from pipeline.resources import DEFAULT_SPACY_MODEL  # noqa: E402


def corpus() -> list[tuple[str, str, list, str | None]]:
    paths = sorted((ROOT / "data" / "raw").iterdir()) + sorted((ROOT / "tests" / "fixtures" / "gold").glob("*.*"))
    shared = ROOT.parent / "shared" / "data" / "film-pages"
    if shared.is_dir():
        paths += sorted(shared.rglob("*.htm*"))
    texts = []
    for path in paths:
        if path.name.endswith(".json"):
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        try:
            if path.name.endswith(".txt"):
                article = parse_text_article(data.decode("utf-8"))
            else:
                article = extract_html_article(data)
        except (DocumentRejected, UnicodeDecodeError):
            continue
        if count_words(article.text) >= 20:
            texts.append((path.name, article.text, [list(s) for s in article.italic_spans], article.title))
    return texts


def rss_mb() -> float:
    # ru_maxrss is the peak so far in KiB on Linux: flat peaks mean no growth.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch", type=int, default=100, help="articles per batch, as the asset streams them")
    parser.add_argument("--model", default=DEFAULT_SPACY_MODEL)
    args = parser.parse_args()

    base = corpus()
    articles = [(f"{i}-{name}", text, italics, title)
                for i, (name, text, italics, title) in zip(range(args.articles), itertools.cycle(base))]
    words = sum(count_words(text) for _, text, _, _ in articles)
    import spacy

    bare_nlp = spacy.load(args.model)
    print(f"{len(articles)} articles ({len(base)} distinct), {words} words; model {args.model}, "
          f"components {bare_nlp.pipe_names}, batch={args.batch}\n")

    # Warm-up so model loading is not timed.
    list(bare_nlp.pipe([articles[0][1]]))
    read_articles([ArticleText("warm-up", articles[0][1])], args.model)

    started = time.perf_counter()
    for _ in bare_nlp.pipe((text for _, text, _, _ in articles), batch_size=32):
        pass
    bare = time.perf_counter() - started

    # The events rules run inside read_article on the stage's Doc; their share is timed around them.
    events_seconds = 0.0
    extract_events = nlp_extraction.event_rules.extract_events

    def timed_extract_events(*args_, **kwargs):
        nonlocal events_seconds
        begun = time.perf_counter()
        try:
            return extract_events(*args_, **kwargs)
        finally:
            events_seconds += time.perf_counter() - begun

    nlp_extraction.event_rules.extract_events = timed_extract_events
    started = time.perf_counter()
    memory = []
    mentions = quotes = events = 0
    for offset in range(0, len(articles), args.batch):
        batch = [ArticleText(article_id, text, tuple(tuple(s) for s in italics), title)
                 for article_id, text, italics, title in articles[offset:offset + args.batch]]
        for extraction in read_articles(batch, args.model):
            mentions += len(extraction.mentions)
            quotes += len(extraction.quotes)
            events += len(extraction.events)
        memory.append(rss_mb())
    stage = time.perf_counter() - started

    print(f"{'stage':18} {'seconds':>8} {'articles/s':>11} {'words/s':>9}")
    for label, seconds in (("bare nlp.pipe", bare), ("NLP stage", stage), ("events step", events_seconds)):
        print(f"{label:18} {seconds:8.2f} {len(articles) / seconds:11.1f} {words / seconds:9.0f}")
    print(f"\nthe events step is {events_seconds / stage:.1%} of the stage ({events} events)")
    print(f"\nthe stage costs {stage / bare:.2f}x the bare pass ({load_stage_pipeline(args.model).pipe_names}); "
          f"{mentions} mentions, {quotes} quotes and reported statements")
    print(f"\npeak RSS after each batch (MB): {', '.join(f'{m:.0f}' for m in memory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
