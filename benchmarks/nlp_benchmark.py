"""Speed and memory of the NLP stages, beside a bare spaCy pass over the same texts.

Usage:  python benchmarks/nlp_benchmark.py [--articles 400] [--batch 100] [--model NAME] [--n-process 1]

The corpus is the bundled sample articles, the project's own gold test
articles and, when ../shared is beside the project, the film pages there,
cycled to --articles texts. Prints words/s and articles/s for:
  bare nlp.pipe      the model with the same components on, nothing else
  entity stage       extract_entity_mentions (NER + title rules + resolution)
  bare parser pass   nlp.pipe with the quote stage's components (tagger, parser, lemmatizer; no NER)
  quote stage        that parse plus extract_quotes on the entity stage's mentions (attribution from
                     the parse, reported speech, then the patterns)
and the process's resident memory after each batch, which should stay flat.
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
from pipeline.core.entities import entity_id_for, extract_entity_mentions, load_nlp  # noqa: E402
from pipeline.core.nlp.pipeline import load_pipeline  # noqa: E402
from pipeline.core.quotes import Mention, extract_quotes  # noqa: E402
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
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()

    base = corpus()
    articles = [(f"{i}-{name}", text, italics, title)
                for i, (name, text, italics, title) in zip(range(args.articles), itertools.cycle(base))]
    words = sum(count_words(text) for _, text, _, _ in articles)
    nlp = load_nlp(args.model)
    print(f"{len(articles)} articles ({len(base)} distinct), {words} words; model {args.model}, "
          f"components {nlp.pipe_names}, n_process={args.n_process}, batch={args.batch}\n")

    # Warm-up so model loading is not timed.
    list(nlp.pipe([articles[0][1]]))

    started = time.perf_counter()
    for _ in nlp.pipe((text for _, text, _, _ in articles), batch_size=32, n_process=args.n_process):
        pass
    bare = time.perf_counter() - started

    started = time.perf_counter()
    memory = []
    quote_inputs = []
    for offset in range(0, len(articles), args.batch):
        batch = articles[offset:offset + args.batch]
        found = extract_entity_mentions(batch, args.model, n_process=args.n_process)
        memory.append(rss_mb())
        if offset < len(base) * 2:
            quote_inputs += [(text, [Mention(m.start, m.end, m.text, m.entity_type, m.name,
                                              entity_id_for(m.entity_type, m.name), m.method) for m in found[article_id]])
                             for article_id, text, _, _ in batch]
    entity = time.perf_counter() - started

    parser = load_pipeline(args.model, with_ner=False)
    list(parser.pipe([articles[0][1]]))
    started = time.perf_counter()
    for _ in parser.pipe((text for text, _ in quote_inputs), batch_size=32):
        pass
    bare_parse = time.perf_counter() - started

    started = time.perf_counter()
    docs = parser.pipe((text for text, _ in quote_inputs), batch_size=32)
    quotes = sum(len(extract_quotes(text, mentions, doc)) for (text, mentions), doc in zip(quote_inputs, docs))
    quote_seconds = time.perf_counter() - started
    quote_words = sum(count_words(text) for text, _ in quote_inputs)

    print(f"{'stage':18} {'seconds':>8} {'articles/s':>11} {'words/s':>9}")
    for label, seconds in (("bare nlp.pipe", bare), ("entity stage", entity)):
        print(f"{label:18} {seconds:8.2f} {len(articles) / seconds:11.1f} {words / seconds:9.0f}")
    for label, seconds in (("bare parser pass", bare_parse), ("quote stage", quote_seconds)):
        print(f"{label:18} {seconds:8.2f} {len(quote_inputs) / seconds:11.1f} {quote_words / seconds:9.0f}"
              + (f"   ({len(quote_inputs)} articles, {quotes} quotes and reported statements; "
                 f"{quote_seconds / bare_parse:.2f}x the bare parser pass)" if label == "quote stage" else ""))
    print(f"\npeak RSS after each batch (MB): {', '.join(f'{m:.0f}' for m in memory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
