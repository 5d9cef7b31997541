"""What a run does per article beyond ``nlp.pipe`` (the bare floor), in CPU milliseconds an article.

Usage:  python benchmarks/per_article_cost.py [CORPUS] [--articles 60]

In one process, on the first ``--articles`` files of CORPUS (``synthetic_corpus.py``; without one, a
synthetic corpus of that many articles is written to a temporary folder): ingest's
cleaning (reading, decoding, language, shingles), the bare model's ``nlp.pipe`` (what the floor of
``make bench`` runs), the stage's pipeline (the model with the project's rulers and components),
the rules on each parsed article (entities, quotes, events), and the frames with their Pandera
validation. The model is loaded and warmed before anything is timed; CPU time, so figures from a
busy machine compare. The last line is the events step's share of the NLP stage per article (issue
25 holds it to 10%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args()
    if args.corpus is None:
        from synthetic_corpus import write_corpus

        with tempfile.TemporaryDirectory(prefix="per-article-cost-") as folder:
            args.corpus = Path(folder)
            write_corpus(args.corpus, args.articles)
            measure(args)
    else:
        measure(args)


def measure(args) -> None:
    import spacy

    from pipeline.core.articles import clean_source_files
    from pipeline.core.cleaning import ExtractionSettings
    from pipeline.core.nlp import extraction
    from pipeline.core.nlp.events import extract_events
    from pipeline.core.nlp.quotes import extract_quotes
    from pipeline.core.reading import discover_source_files
    from pipeline.resources import spacy_model_from_env
    from pipeline.schemas import EventsSchema, MentionsSchema, QuotesSchema, split_valid_rows

    model = spacy_model_from_env()
    files = discover_source_files(args.corpus)[:args.articles]
    costs: dict[str, float] = {}

    def timed(name, function, *a):
        started = time.process_time()
        result = function(*a)
        costs[name] = costs.get(name, 0.0) + time.process_time() - started
        return result

    cleaned = timed("ingest: cleaning (read, decode, language, shingles)", clean_source_files,
                    [(f, None) for f in files], dt.datetime.now(dt.timezone.utc), ExtractionSettings())
    rows = cleaned.articles.select("article_id", "text", "title", "published_date").iter_rows()
    articles = [extraction.ArticleText(article_id, text, (), title, published) for article_id, text, title, published in rows]
    bare = spacy.load(model)
    extraction.warm_up(model)
    stage = extraction.load_stage_pipeline(model)
    list(bare.pipe([a.text for a in articles[:4]]))
    list(stage.pipe([extraction._unread_doc(stage, a) for a in articles[:4]]))
    timed("floor: bare nlp.pipe (the model's components)", lambda: list(bare.pipe([a.text for a in articles], batch_size=32)))
    docs = timed("stage pipeline's nlp.pipe (model, rulers, paragraphs)",
                 lambda: list(stage.pipe((extraction._unread_doc(stage, a) for a in articles), batch_size=32)))
    extractions = []
    for article, doc in zip(articles, docs):
        mentions, quote_mentions = timed("rules: entities (recognize, resolve)", extraction.article_mentions, article, doc)
        found = timed("rules: quotes and speakers", extract_quotes, article.text, quote_mentions, doc, article.headline)
        events = timed("rules: events", extract_events, article.text, doc, quote_mentions, article.published_date)
        extractions.append(extraction.ArticleExtraction(article.article_id, article.text, mentions, found, quote_mentions, events))

    def frames():
        built = extraction.stage_frames(extractions)
        split_valid_rows(MentionsSchema, built.mentions)
        split_valid_rows(QuotesSchema, built.quotes)
        split_valid_rows(EventsSchema, built.events)

    timed("frames and Pandera validation", frames)
    n = len(articles)
    print(f"{n} articles of {args.corpus}; CPU ms an article")
    for name, seconds in costs.items():
        print(f"  {name:58s} {seconds * 1000 / n:8.1f}")
    beyond = sum(v for k, v in costs.items() if not k.startswith("floor"))
    print(f"  {'all a run does per article (stage pipe, rules, frames, cleaning)':58s} {beyond * 1000 / n:8.1f}")
    print(f"  {'... beside the floor':58s} {beyond / costs['floor: bare nlp.pipe (the model' + chr(39) + 's components)']:7.2f}x")
    stage = sum(v for k, v in costs.items() if k.startswith(("stage", "rules", "frames")))
    events = costs["rules: events"]
    print(f"  {'events step beside the rest of the NLP stage':58s} {events / (stage - events):8.1%}")


if __name__ == "__main__":
    main()
