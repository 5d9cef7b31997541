"""The NLP pass on the fork server beside the same pass on a Dask LocalCluster, on the same articles.

Usage:  python benchmarks/dask_benchmark.py [--articles DIR] [--copies 4] [--workers 2]

Reads every ``.html`` of ``--articles`` (default ../shared/eval/film-real-dev) once with the
project's extractor, repeats the texts ``--copies`` times (under new ids), and reads them with
``ArticleReader`` on each executor, cold (the fork server and its pool, or the cluster, started
inside the timing, as a run pays it), ``--rounds`` times alternately (the shared machine's load
drifts). Prints wall seconds, articles/s and the CPU seconds of the process tree of each pass. Both executors run the same chunks of the same function, so the rows are
checked equal too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def article_texts(folder: Path, copies: int):
    from pipeline.core.cleaning import extract_html_article
    from pipeline.core.nlp.extraction import ArticleText

    cleaned = []
    for path in sorted(folder.glob("*.html")):
        article = extract_html_article(path.read_bytes())
        cleaned.append((path.stem, article.text, tuple(article.italic_spans or ()), article.title))
    return [ArticleText(f"{stem}#{copy}", text, spans, title)
            for copy in range(copies) for stem, text, spans, title in cleaned]


def _read_all(reader, articles, batch: int = 100):
    pending = [reader.submit(articles[i:i + batch]) for i in range(0, len(articles), batch)]
    return [extraction for part in pending for extraction in part.result()]


def _tree_cpu_seconds() -> float:
    """CPU seconds of this process and every live descendant (the pool's or the cluster's workers)."""
    import psutil

    total = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def time_fork_server(articles, workers: int, model_name: str):
    """Wall and CPU seconds of a cold pass (the fork server and its pool started inside the timing), and the rows."""
    from pipeline.core.nlp.extraction import ArticleReader, start_worker_server

    wall, cpu = time.perf_counter(), _tree_cpu_seconds()
    start_worker_server()
    with ArticleReader(model_name, workers, len(articles)) as reader:
        rows = _read_all(reader, articles)
        figures = (time.perf_counter() - wall, _tree_cpu_seconds() - cpu)
    # The next pass starts its own server, as the next run does.
    import multiprocessing.forkserver

    multiprocessing.forkserver._forkserver._stop()
    return figures, rows


def time_dask(articles, workers: int, model_name: str):
    """The same on a LocalCluster started inside the timing, each worker loading the model once."""
    from pipeline.core.distributed import start_client
    from pipeline.core.nlp.extraction import ArticleReader

    wall, cpu = time.perf_counter(), _tree_cpu_seconds()
    client = start_client(n_workers=workers, model_name=model_name)
    try:
        with ArticleReader(model_name, workers, len(articles), dask_client=client) as reader:
            rows = _read_all(reader, articles)
            figures = (time.perf_counter() - wall, _tree_cpu_seconds() - cpu)
    finally:
        client.close()
    return figures, rows


def compare_executors(articles, workers: int, model_name: str, rounds: int = 2) -> dict:
    """Cold passes of each executor, alternated (the machine's load drifts), fastest kept."""
    figures = {"fork server": [], "dask LocalCluster": []}
    rows = {}
    for _ in range(rounds):
        for name, timer in (("fork server", time_fork_server), ("dask LocalCluster", time_dask)):
            measured, rows[name] = timer(articles, workers, model_name)
            figures[name].append(measured)
    key = lambda e: (e.article_id, e.mentions, e.quotes)  # noqa: E731
    same = [key(e) for e in rows["fork server"]] == [key(e) for e in rows["dask LocalCluster"]]
    return {"passes": figures, "same_rows": same}


def main() -> None:
    from pipeline.core.nlp import spacy_model_from_env

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, default=ROOT.parent / "shared" / "eval" / "film-real-dev")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    articles = article_texts(args.articles, args.copies)
    result = compare_executors(articles, args.workers, spacy_model_from_env(), args.rounds)
    print(f"{len(articles)} articles, {args.workers} workers, cold passes (start-up included); rows equal: {result['same_rows']}")
    for name, passes in result["passes"].items():
        wall, cpu = min(passes)
        every = ", ".join(f"{w:.1f} s wall / {c:.1f} s CPU" for w, c in passes)
        print(f"  {name:<18} best {wall:6.1f} s  {len(articles) / wall:5.1f} articles/s  ({every})")


if __name__ == "__main__":
    main()
