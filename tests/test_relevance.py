"""The film-relevance filter on our own labelled pages (tests/fixtures/relevance.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.core.relevance import film_relevance

LABELLED = Path(__file__).parent / "fixtures" / "relevance.jsonl"


def test_precision_and_recall_on_the_labelled_set():
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines()]
    decisions = [(film_relevance(r["url"], r["title"], r["text"]).relevant, r["film"]) for r in rows]
    tp = sum(1 for got, want in decisions if got and want)
    precision = tp / max(1, sum(1 for got, _ in decisions if got))
    recall = tp / sum(1 for _, want in decisions if want)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_decision_carries_a_score_and_the_reasons_behind_it():
    decision = film_relevance("https://dailyplanet.example/sports/derby", "Late Goal Settles the Derby",
                              "A late goal by the midfielder settled the match; the coach praised the league win.")
    assert not decision.relevant
    assert "non-film section in URL" in decision.reasons
    film = film_relevance("https://dailyplanet.example/news/x", "Studio Sets Sequel",
                          "The studio greenlit a sequel; the director and cast return and filming starts in May.")
    assert film.relevant and film.score > decision.score
