"""The invented gold articles in tests/fixtures/gold, run through the whole asset graph and scored.

Each NAME.gold.json lists the entities and quotes (with speakers) a careful
reader finds in its article. Entities count when their canonical name or an
alias and their type agree; a quote counts when it covers most of a gold quote
and lies mostly inside it, and its speaker is the gold speaker. "optional_*"
entries neither help nor hurt. The bars sit a little under today's figures, so
a change that makes extraction worse on these articles fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from .harness import rows, run

GOLD = Path(__file__).parent / "fixtures" / "gold"
QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def folded(name: str | None) -> str:
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c)).translate(QUOTE_MARKS).casefold()
    return re.sub(r"[^a-z0-9]+", "", re.sub(r"^(the|a|an)\s+", "", name.strip()))


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTE_MARKS).casefold())


def span_of(needle: str, haystack: str) -> tuple[int, int] | None:
    needle = plain(needle).strip().strip("\"' ")
    at = haystack.find(needle)
    return (at, at + len(needle)) if needle and at >= 0 else None


def names_of(entry: dict) -> set[str]:
    return {folded(n) for n in [entry.get("name") or entry.get("speaker"), *entry.get("aliases", []),
                                *entry.get("speaker_aliases", [])] if n}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    landing = tmp_path_factory.mktemp("gold_landing")
    for source in GOLD.iterdir():
        if not source.name.endswith(".gold.json"):
            shutil.copy(source, landing / source.name)
    db_path = tmp_path_factory.mktemp("gold_db") / "film_news.duckdb"
    assert run(landing, db_path).success
    articles = {Path(path).name: (article_id, text) for article_id, path, text in
                rows(db_path, "select article_id, source_path, text from articles")}
    entities: dict[str, set[tuple[str, str]]] = {}
    for article_id, name, entity_type in rows(db_path, "select distinct m.article_id, e.name, e.entity_type "
                                                       "from mentions m join entities e using (entity_id)"):
        entities.setdefault(article_id, set()).add((name, entity_type))
    quotes: dict[str, list[tuple[str, str | None]]] = {}
    # The invented gold annotates direct speech only; reported speech (kind = 'indirect') is measured on real text.
    for article_id, text, speaker in rows(db_path, "select article_id, text, speaker from quotes where kind = 'direct'"):
        quotes.setdefault(article_id, []).append((text, speaker))

    tally = {"entity": [0, 0, 0], "quote": [0, 0, 0]}  # true positives, system count, gold count
    misses: list[str] = []
    for gold_file in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text())
        article_id, text = articles[gold["file"]]
        if "entities" in gold:
            wanted, optional = gold["entities"], gold.get("optional_entities", [])
            found = set()
            for name, entity_type in entities.get(article_id, ()):
                hits = [i for i, g in enumerate(wanted) if g["type"] == entity_type and folded(name) in names_of(g)]
                if hits:
                    found.update(hits)
                    tally["entity"][1] += 1
                elif not any(g["type"] == entity_type and folded(name) in names_of(g) for g in optional):
                    tally["entity"][1] += 1
                    misses.append(f"{gold['file']}: extra entity {name} [{entity_type}]")
            tally["entity"][0] += len(found)
            tally["entity"][2] += len(wanted)
            misses += [f"{gold['file']}: missed entity {g['name']} [{g['type']}]" for i, g in enumerate(wanted) if i not in found]
        haystack = plain(text)
        org_aliases = {folded(g["name"]): names_of(g) for g in gold.get("entities", []) + gold.get("optional_entities", [])
                       if g["type"] == "ORG"}
        golds = [(span_of(g["text"], haystack), g, False) for g in gold.get("quotes", [])]
        golds += [(span_of(g["text"], haystack), g, True) for g in gold.get("optional_quotes", [])]
        matched = set()
        for quote_text, speaker in quotes.get(article_id, ()):
            span = span_of(quote_text, haystack)
            hits = [(i, g, optional) for i, (gs, g, optional) in enumerate(golds) if span and gs
                    and min(span[1], gs[1]) - max(span[0], gs[0]) >= 0.7 * (span[1] - span[0])]
            if hits and all(optional for _, _, optional in hits):
                continue
            tally["quote"][1] += 1
            for i, g, optional in hits:
                want = names_of(g) | org_aliases.get(folded(g.get("speaker")), set()) if g.get("speaker") else {""}
                if not optional and folded(speaker) in want:
                    matched.add(i)
                    break
            else:
                misses.append(f"{gold['file']}: quote {quote_text[:50]!r} by {speaker!r} matches no gold quote and speaker")
        tally["quote"][0] += len(matched)
        tally["quote"][2] += sum(1 for _, _, optional in golds if not optional)
    return tally, misses


def f1(true_positives: int, system: int, gold: int) -> float:
    precision = true_positives / system if system else 0.0
    recall = true_positives / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def test_entities_of_the_gold_articles(scored):
    tally, misses = scored
    assert f1(*tally["entity"]) >= 0.96, "\n".join(m for m in misses if "entity" in m)


def test_quotes_and_speakers_of_the_gold_articles(scored):
    tally, misses = scored
    assert f1(*tally["quote"]) >= 0.96, "\n".join(m for m in misses if "quote" in m)
