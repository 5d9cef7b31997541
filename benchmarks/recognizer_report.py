"""What each entity recognizer adds on real, annotated articles, and how much of it is right.

    python benchmarks/recognizer_report.py --gold ../shared/eval/film-real-dev [--db PATH]
    python benchmarks/recognizer_report.py --gold ../shared/eval/conll-dev/gold.jsonl [--db PATH]

Runs ``film-news run`` on the gold folder's articles (or reads an existing
database with ``--db``), then, for every recognizer (the ``method`` of a
mention), counts the distinct entities of each article it produced a mention
of, how many of them the gold annotation has with that type (right), how many
it lists as optional, and how many are wrong; "alone" counts the entities no
other recognizer produced, which is what removing the recognizer would change.
A recognizer whose alone-right does not beat its alone-wrong does not pay.
A second table counts the same for the rule of the typing policy that decided
each entity's type (``mentions.rule``).

The gold is a folder of ``NAME.gold.json`` files beside the articles, or a
``gold.jsonl`` of document-level entities (one line per file) with the articles
in ``docs/`` beside it; then only the types that file annotates are judged.
Names are compared as the evaluation's scorer does (case, accents, quote marks,
punctuation and a leading article ignored).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]


def folded(name: str | None) -> str:
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    name = name.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    name = re.sub(r"^(the|a|an)\s+", "", name.strip())
    return re.sub(r"[^a-z0-9]+", "", name)


def names_of(entity: dict) -> set[str]:
    return {folded(n) for n in [entity["name"], *entity.get("aliases", [])] if n}


def annotations(gold: Path) -> list[dict]:
    """Each annotated article: its file name, entities and optional entities."""
    if gold.suffix == ".jsonl":
        return [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(path.read_text()) for path in sorted(gold.glob("*.gold.json"))]


def article_folder(gold: Path) -> Path:
    return gold.parent / "docs" if gold.suffix == ".jsonl" else gold


def landed_database(gold: Path, work: Path) -> Path:
    inputs = work / "input"
    inputs.mkdir()
    for path in article_folder(gold).iterdir():
        if not path.name.endswith(".gold.json") and path.is_file():
            (inputs / path.name).write_bytes(path.read_bytes())
    database = work / "report.duckdb"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--input", str(inputs), "--db", str(database)],
                   cwd=ROOT, check=False, capture_output=True)
    return database


def report(gold: Path, database: Path) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    articles = {Path(path).name: article_id for article_id, path in con.execute("select article_id, source_path from articles").fetchall()}
    rows = con.execute(
        "select m.article_id, e.name, e.entity_type, m.method, m.rule from mentions m join entities e using (entity_id)").fetchall()
    con.close()
    found_by: dict[str, dict[tuple[str, str, str], set[str]]] = {"method": defaultdict(set), "rule": defaultdict(set)}
    for article_id, name, entity_type, method, rule in rows:
        found_by["method"][(article_id, name, entity_type)].add(method)
        found_by["rule"][(article_id, name, entity_type)].add(rule or "(none)")
    verdicts: dict[tuple[str, str, str], str] = {}
    every = annotations(gold)
    # A gold.jsonl annotates some types only (conll-dev: no titles); the others are not judged.
    judged_types = {g["type"] for annotation in every for g in annotation.get("entities", [])} if gold.suffix == ".jsonl" else None
    for annotation in every:
        article_id = articles.get(annotation["file"])
        if article_id is None or "entities" not in annotation:
            continue
        for key in [k for k in found_by["method"] if k[0] == article_id]:
            _, name, entity_type = key
            if judged_types is not None and entity_type not in judged_types:
                continue
            if any(g["type"] == entity_type and folded(name) in names_of(g) for g in annotation["entities"]):
                verdicts[key] = "right"
            elif any(g["type"] == entity_type and folded(name) in names_of(g) for g in annotation.get("optional_entities", [])):
                verdicts[key] = "optional"
            else:
                verdicts[key] = "wrong"
    tables = {}
    for column, found in found_by.items():
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, verdict in verdicts.items():
            for producer in found[key]:
                table[producer][verdict] += 1
                if len(found[key]) == 1:
                    table[producer]["alone_" + verdict] += 1
        tables[column] = sorted(((m, c["right"], c["optional"], c["wrong"], c["alone_right"], c["alone_wrong"])
                                 for m, c in table.items()), key=lambda row: -(row[1] + row[3]))
    return tables


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="a folder of articles and NAME.gold.json files")
    parser.add_argument("--db", type=Path, help="a database already built from that folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        database = args.db or landed_database(args.gold, Path(work))
        rows = report(args.gold, database)
    for column, heading in (("method", "recognizer"), ("rule", "typing rule")):
        print(f"{heading} report on {args.gold} (distinct entities per article)")
        print(f"{heading:<24}{'right':>7}{'optional':>10}{'wrong':>7}{'precision':>11}{'alone right':>13}{'alone wrong':>13}  pays?")
        for producer, right, optional, wrong, alone_right, alone_wrong in rows[column]:
            precision = right / (right + wrong) if right + wrong else 0.0
            pays = "yes" if alone_right > alone_wrong else "no"
            print(f"{producer:<24}{right:>7}{optional:>10}{wrong:>7}{precision:>11.2f}{alone_right:>13}{alone_wrong:>13}  {pays}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
