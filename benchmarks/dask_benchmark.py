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


def write_archives(folder: Path, archives: int, pages_per_archive: int, seed: int = 7) -> int:
    """``archives`` WARC files of synthetic film-news pages (HTML around the synthetic corpus's articles); pages written."""
    import gzip
    import html
    import random
    import uuid

    from benchmarks.synthetic_corpus import article_text

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(archives):
        with open(folder / f"CC-NEWS-BENCH-{number:05d}.warc.gz", "wb") as out:
            for page in range(pages_per_archive):
                paragraphs = article_text(rng).split("\n\n")
                title = " ".join(paragraphs[0].split()[:8])
                body = (f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>"
                        + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</article></body></html>").encode()
                payload = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
                           .encode() + body)
                url = f"https://trade.example/film/{number}-{page}"
                record = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-11-20T10:00:00Z\r\n"
                          f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
                          f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(payload)}\r\n\r\n"
                          ).encode() + payload + b"\r\n\r\n"
                out.write(gzip.compress(record, mtime=0))
    return archives * pages_per_archive


def archive_throughput(folder: Path, work: Path, workers: int) -> tuple[float, int]:
    """Seconds to read every archive of ``folder`` into partitions on a LocalCluster of ``workers``
    (the cluster started and every worker's extraction process warmed before the timing: the rate
    of a running cluster), and pages read."""
    import shutil

    from pipeline.core.archive_partitions import extract_archive_partitions, list_archive_files
    from pipeline.core.cleaning import warm_up
    from pipeline.core.distributed import start_client

    archives = list_archive_files(folder)
    partitions = work / f"partitions-{workers}"
    shutil.rmtree(partitions, ignore_errors=True)
    client = start_client(n_workers=workers)
    try:
        client.run(warm_up)
        warm = work / f"warm-{workers}"
        write_archives(warm, 1, 1, seed=1)
        extract_archive_partitions(list_archive_files(warm) * workers, str(work / f"warm-partitions-{workers}"), client)
        started = time.perf_counter()
        manifests = extract_archive_partitions(archives, str(partitions), client)
        seconds = time.perf_counter() - started
    finally:
        client.close()
    return seconds, sum(m["pages_seen"] for m in manifests)


def write_path_at_scale(source: Path, mentions_target: int, work: Path, articles_per_batch: int = 100) -> dict:
    """The warehouse's write path grown to ``mentions_target`` mentions: the first corpus's NLP rows landed
    again under new article ids, batch by batch, as the NLP step lands them (mentions swapped in, entities
    refreshed, quotes and their title links swapped in, one transaction per 1,000 articles); then the
    search index for the new articles and every SQL model with its tests. Seconds of each, and the counts."""
    import shutil

    import duckdb
    import polars as pl

    from pipeline import warehouse
    from pipeline.core.search import update_index
    from pipeline.core.sql_models import build_order
    from pipeline.defs.analytics.sql_models import SQL_MODELS, build_model
    from pipeline.defs.nlp import store

    big = work / "write-path.duckdb"
    shutil.copyfile(source, big)
    con = duckdb.connect(str(big))
    try:
        mentions = warehouse.query_frame(con, "select * from mentions")
        quotes = warehouse.query_frame(con, "select * from quotes")
        links = warehouse.query_frame(con, "select * from quote_titles")
        article_ids = [r[0] for r in con.execute("select article_id from articles where article_id in "
                                                 "(select article_id from mentions) order by 1").fetchall()]
        per_copy = mentions.height
        copies = max(1, -(-(mentions_target - per_copy) // per_copy))
        landing_seconds, landed = 0.0, 0
        now = warehouse.utc_now()

        def renamed(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
            return frame.with_columns([pl.col(c) + suffix for c in ("article_id", "quote_id", "parent_quote_id")
                                       if c in frame.columns])

        for copy in range(1, copies + 1):
            suffix = f"~{copy}"
            # The articles themselves land in ingest, not timed here.
            con.execute(f"insert into articles by name select * replace (article_id || '{suffix}' as article_id, "
                        f"source_path || '{suffix}' as source_path, null as duplicate_of) from articles "
                        "where not contains(article_id, '~')")
            copy_mentions, copy_quotes, copy_links = (renamed(f, suffix) for f in (mentions, quotes, links))
            started = time.perf_counter()
            con.execute("begin")
            for start in range(0, len(article_ids), articles_per_batch):
                batch = [a + suffix for a in article_ids[start:start + articles_per_batch]]
                in_batch = pl.col("article_id").is_in(batch)
                affected = store.replace_mentions(con, batch, copy_mentions.filter(in_batch))
                store.refresh_entities(con, affected)
                store.mark_entities_processed(con, batch, "bench", now)
                store.replace_quotes(con, batch, copy_quotes.filter(in_batch), copy_links.filter(in_batch), now, "bench")
            con.execute("commit")
            landing_seconds += time.perf_counter() - started
            landed += per_copy
        total_mentions = con.execute("select count(*) from mentions").fetchone()[0]
        started = time.perf_counter()
        con.execute("begin")
        update_index(con, now, batch_size=1000)
        con.execute("commit")
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("begin")
        for model in build_order(SQL_MODELS):
            build_model(con, model)
        con.execute("commit")
        models_seconds = time.perf_counter() - started
    finally:
        con.close()
    return {"mentions": total_mentions, "landed_mentions": landed, "landing_seconds": landing_seconds,
            "index_seconds": index_seconds, "models_seconds": models_seconds,
            "articles": len(article_ids) * (copies + 1)}


def print_archive_rows(work: Path, archives: int, pages_per_archive: int) -> None:
    folder = work / "archives"
    write_archives(folder, archives, pages_per_archive)
    rates = {}
    for workers in (1, 2):
        seconds, pages = archive_throughput(folder, work, workers)
        rates[workers] = pages / seconds
        print(f"  archives on a LocalCluster, {workers} worker{'s' if workers > 1 else ''}: {archives} archives, {pages} pages "
              f"in {seconds:.1f} s, {rates[workers]:.1f} articles/s")
    print(f"  2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


def print_write_path(source: Path, mentions: int, work: Path) -> None:
    figures = write_path_at_scale(source, mentions, work)
    print(f"  warehouse write path at {figures['mentions']:,} mentions ({figures['articles']:,} articles): "
          f"landing {figures['landed_mentions']:,} mentions with their entities and quotes {figures['landing_seconds']:.1f} s "
          f"({figures['landed_mentions'] / figures['landing_seconds']:,.0f} mentions/s); search index for the new "
          f"articles {figures['index_seconds']:.1f} s; SQL models with their tests {figures['models_seconds']:.1f} s")


def main() -> None:
    import tempfile

    from pipeline.core.nlp import spacy_model_from_env

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, default=ROOT.parent / "shared" / "eval" / "film-real-dev")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-executors", action="store_true")
    parser.add_argument("--archives", type=int, default=0, help="also time 1 vs 2 workers on this many generated archives")
    parser.add_argument("--pages-per-archive", type=int, default=100)
    parser.add_argument("--write-mentions", type=int, default=0,
                        help="also time the write path grown to this many mentions, from --warehouse")
    parser.add_argument("--warehouse", type=Path, help="a warehouse the pipeline built (its NLP rows are repeated)")
    args = parser.parse_args()
    if not args.skip_executors:
        articles = article_texts(args.articles, args.copies)
        result = compare_executors(articles, args.workers, spacy_model_from_env(), args.rounds)
        print(f"{len(articles)} articles, {args.workers} workers, cold passes (start-up included); rows equal: {result['same_rows']}")
        for name, passes in result["passes"].items():
            wall, cpu = min(passes)
            every = ", ".join(f"{w:.1f} s wall / {c:.1f} s CPU" for w, c in passes)
            print(f"  {name:<18} best {wall:6.1f} s  {len(articles) / wall:5.1f} articles/s  ({every})")
    with tempfile.TemporaryDirectory(prefix="film-news-dask-bench-") as work:
        if args.archives:
            print_archive_rows(Path(work), args.archives, args.pages_per_archive)
        if args.write_mentions:
            if not args.warehouse:
                raise SystemExit("--write-mentions needs --warehouse (e.g. one `film-news run` built)")
            print_write_path(args.warehouse, args.write_mentions, Path(work))


if __name__ == "__main__":
    main()
