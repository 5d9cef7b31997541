"""How well article text and metadata come out of real pages, ours beside trafilatura's defaults.

Usage:  python benchmarks/extraction_benchmark.py [--pages ../shared/data/film-pages]
        python benchmarks/extraction_benchmark.py --nested [--sizes 0.5 1 2 6]

Body text is scored against the full-body gold of the scrapinghub-aeb and
fundus sets with the article-extraction-benchmark metric: 4-token shingles
over ``\\w+`` tokens, per-page true/false positives and negatives, precision
averaged over pages with non-empty output, recall over all pages, F1 of the
two means. Title, author and date are scored against every gold file that has
them (exact match after folding case, quote marks and white space; dates on
the day). Prints one table; writes nothing. The last row is the pipeline's own
path: the same extraction in the budgeted worker (``bounded_extraction``): its
wall ms/page beside the first "ours" row's is what the worker costs a normal page
(its CPU ms/page is this process's share, the round trip).

``--nested`` times hostile pages instead: one paragraph of ``<i><b><span>word
</span></b></i>`` repeated to each size, extracted in this process (CPU seconds
and wall seconds) and through the worker with the default budget.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.core.cleaning import ExtractionSettings, extract_html_article  # noqa: E402
from pipeline.core.errors import DocumentRejected  # noqa: E402

DEFAULT_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "film-pages"

# Which fundus gold record belongs to which page (see the set's DATA.md).
FUNDUS_GOLD = {
    "RollingStone_2024_04_24.html.gz": ("RollingStone_2024_04_24.historic-e8918df4.json", "V1"),
    "RollingStone_2024_04_25.html.gz": ("RollingStone.json", "V1"),
    "RollingStone_2024_08_27.html.gz": ("RollingStone.json", "V1_1"),
    "TheGuardian_2024_02_24.html.gz": ("TheGuardian.json", "V1"),
    "APNews_2024_09_03.html.gz": ("APNews.json", "V1_1"),
}


@dataclasses.dataclass
class Page:
    path: Path
    body: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None


def read_html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load_pages(root: Path) -> list[Page]:
    pages: list[Page] = []
    aeb = json.loads((root / "scrapinghub-aeb" / "gold.json").read_text())
    for name, gold in aeb.items():
        pages.append(Page(root / "scrapinghub-aeb" / name, body=gold["articleBody"]))
    for name, (gold_file, key) in FUNDUS_GOLD.items():
        gold = json.loads((root / "fundus" / gold_file).read_text())[key]
        body = gold["body"]
        parts = list(body.get("summary", []))
        for section in body.get("sections", []):
            parts += section.get("headline", []) + section.get("paragraphs", [])
        pages.append(Page(root / "fundus" / name, body="\n".join(parts), title=gold.get("title"),
                          author="; ".join(gold.get("authors", [])) or None, date=str(gold.get("publishing_date") or "")[:10] or None))
    for gold_name, title_key, author_key, date_key in (
        ("postlight-parser/gold.json", "title", "author", "date_published"),
        ("trafilatura/gold.json", "title", "author", "date"),
        ("htmldate/gold.json", "title", "author", "date"),
    ):
        gold_path = root / gold_name
        for name, gold in json.loads(gold_path.read_text()).items():
            pages.append(Page(gold_path.parent / name, title=gold.get(title_key) or None,
                              author=gold.get(author_key) or None, date=(gold.get(date_key) or "")[:10] or None))
    for folder in sorted((root / "readability").iterdir()):
        if not folder.is_dir():
            continue
        meta = json.loads((folder / "expected-metadata.json").read_text())
        pages.append(Page(folder / "source.html", title=meta.get("title"), author=meta.get("byline"),
                          date=(meta.get("publishedTime") or "")[:10] or None))
    return pages


def shingles(text: str, n: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def body_scores(outputs: list[str | None], golds: list[str]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for output, gold in zip(outputs, golds):
        predicted, expected = shingles(output or ""), shingles(gold)
        tp = sum((predicted & expected).values())
        fp = sum(predicted.values()) - tp
        fn = sum(expected.values()) - tp
        if output and sum(predicted.values()):
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 1.0)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def fold(value: str | None) -> str:
    quotes = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    return " ".join((value or "").casefold().translate(quotes).replace(".", "").split())


def run_defaults(html: bytes) -> dict:
    document = trafilatura.bare_extraction(html, with_metadata=True)
    if document is None:
        return {}
    # The body exactly as plain trafilatura.extract() returns it with default options.
    return {"body": trafilatura.extract(html), "title": document.title, "author": document.author, "date": document.date}


def run_ours(settings: ExtractionSettings):
    def extract(html: bytes) -> dict:
        try:
            article = extract_html_article(html, settings)
        except DocumentRejected:
            return {}
        return {"body": article.text, "title": article.title, "author": article.author,
                "date": article.published_date.isoformat() if article.published_date else None}
    return extract


def run_in_worker(settings: ExtractionSettings):
    from pipeline.core.bounded_extraction import extract_html_article_within_budget

    def extract(html: bytes) -> dict:
        try:
            article = extract_html_article_within_budget(html, settings)
        except DocumentRejected:
            return {}
        return {"body": article.text, "title": article.title, "author": article.author,
                "date": article.published_date.isoformat() if article.published_date else None}
    return extract


def nested_inline_page(megabytes: float) -> bytes:
    chunk = "<i><b><span>word </span></b></i>"
    return ("<html><head><title>Nested</title></head><body><article><p>" + chunk * int(megabytes * 1024 * 1024 / len(chunk))
            + "</p></article></body></html>").encode()


def time_nested_pages(sizes: list[float], with_worker: bool) -> None:
    print(f"{'page':>8} {'in process: CPU s':>18} {'wall s':>8} {'in the worker: wall s':>22}  outcome")
    for megabytes in sizes:
        html = nested_inline_page(megabytes)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            extract_html_article(html)
        except DocumentRejected:
            pass
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        worker_wall, outcome = "", ""
        if with_worker:
            from pipeline.core.bounded_extraction import extract_html_article_within_budget

            started = time.perf_counter()
            try:
                outcome = f"{len(extract_html_article_within_budget(html).text):,} characters"
            except DocumentRejected as rejection:
                outcome = "rejected: " + rejection.reason[:60]
            worker_wall = f"{time.perf_counter() - started:.1f}"
        print(f"{megabytes:6.1f}MB {cpu:18.1f} {wall:8.1f} {worker_wall:>22}  {outcome}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--show-misses", action="store_true", help="list the pipeline's metadata misses")
    parser.add_argument("--nested", action="store_true", help="time nested-inline pages instead of scoring the gold pages")
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1, 2, 6], help="sizes of the nested pages, in MB")
    parser.add_argument("--no-worker", action="store_true", help="in this process only (for code before the worker)")
    args = parser.parse_args()
    if args.nested:
        time_nested_pages(args.sizes, with_worker=not args.no_worker)
        return 0
    if not (args.pages / "scrapinghub-aeb").is_dir():
        print(f"no gold pages at {args.pages}; pass --pages", file=sys.stderr)
        return 2
    pages = load_pages(args.pages)
    htmls = {page.path: read_html(page.path) for page in pages}
    default_settings = ExtractionSettings()
    candidates = {
        "trafilatura.extract defaults": run_defaults,
        "ours (pipeline default)": run_ours(default_settings),
        "ours, favor_precision": run_ours(dataclasses.replace(default_settings, favor_precision=True)),
        "ours, favor_recall": run_ours(dataclasses.replace(default_settings, favor_precision=False, favor_recall=True)),
        "ours, no tables": run_ours(dataclasses.replace(default_settings, include_tables=False)),
        "ours, headline kept": run_ours(dataclasses.replace(default_settings, drop_leading_headline=False)),
        "ours, no date after today": run_ours(dataclasses.replace(default_settings, max_date_ahead_days=0)),
    }
    if not args.no_worker:
        candidates["ours, in the worker (pipeline)"] = run_in_worker(default_settings)
    body_pages = [page for page in pages if page.body is not None]
    print(f"{len(body_pages)} pages with full-body gold; metadata gold: "
          f"{sum(p.title is not None for p in pages)} titles, {sum(p.author is not None for p in pages)} authors, "
          f"{sum(p.date is not None for p in pages)} dates\n")
    # CPU time of this process (steady on a shared machine) and wall time (which the worker row needs:
    # its extraction runs in another process, and this one only pays the round trip).
    header = (f"{'extractor':32} {'body P':>7} {'body R':>7} {'body F1':>8} {'title':>7} {'author':>7} {'date':>7} "
              f"{'CPU ms/page':>12} {'wall ms/page':>13}")
    print(header)
    print("-" * len(header))
    for label, extract in candidates.items():
        started, started_cpu = time.perf_counter(), time.process_time()
        results = {page.path: extract(htmls[page.path]) for page in pages}
        elapsed_ms = (time.perf_counter() - started) * 1000 / len(htmls)
        cpu_ms = (time.process_time() - started_cpu) * 1000 / len(htmls)
        p, r, f1 = body_scores([results[page.path].get("body") for page in body_pages], [page.body for page in body_pages])
        cells = []
        for field in ("title", "author", "date"):
            scored = [page for page in pages if getattr(page, field)]
            hits = sum(fold(results[page.path].get(field)) == fold(getattr(page, field)) for page in scored)
            cells.append(f"{hits}/{len(scored)}")
        if args.show_misses and label.startswith("ours (pipeline"):
            for page in pages:
                for field in ("title", "author", "date"):
                    want, got = getattr(page, field), results[page.path].get(field)
                    if want and fold(got) != fold(want):
                        print(f"    {page.path.parent.name}/{page.path.name} {field}: got {got!r}, want {want!r}")
        print(f"{label:32} {p:7.3f} {r:7.3f} {f1:8.3f} {cells[0]:>7} {cells[1]:>7} {cells[2]:>7} {cpu_ms:12.1f} {elapsed_ms:13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
