"""The shipped speaker model may be gradient-boosted trees, scored with numpy: the trees must be walked
as scikit-learn walks them (go left when the value is at most the threshold; -1 marks a leaf)."""

from __future__ import annotations

import numpy as np

from pipeline.core.nlp.speaker_ranker import FEATURES, BoostedTrees, SpeakerModel


def two_trees() -> list[dict]:
    # Tree 1: feature 0 at most 0.5 -> feature 1 at most 2.0 -> leaves -1.0 / 0.5; else leaf 2.0.
    # Tree 2: a single leaf of 0.25 (a tree with no split).
    return [
        {"feature": [0, 1, -2, -2, -2], "threshold": [0.5, 2.0, -2.0, -2.0, -2.0], "left": [1, 2, -1, -1, -1],
         "right": [4, 3, -1, -1, -1], "value": [0.0, 0.0, -1.0, 0.5, 2.0]},
        {"feature": [-2], "threshold": [-2.0], "left": [-1], "right": [-1], "value": [0.25]},
    ]


def test_each_row_walks_every_tree_to_its_leaf():
    rows = np.array([[0.5, 2.0], [0.0, 3.0], [0.6, 0.0]])
    # A value equal to the threshold goes left, as in scikit-learn.
    assert BoostedTrees(two_trees()).scores(rows).tolist() == [-0.75, 0.75, 2.25]


def test_a_boosted_model_names_the_candidate_of_highest_score_above_its_threshold():
    model = SpeakerModel.from_json({"features": list(FEATURES), "intercept": 0.0, "threshold": 0.5,
                                    "trees": two_trees()})
    rows = np.zeros((3, len(FEATURES)))
    rows[1, 0] = 1.0  # the second candidate takes the right branch: score 2.25
    assert model.choose(rows) == 1
    rows[1, 0] = 0.0  # all at -0.75 + 0 = probability 0.32, below the threshold: no speaker
    assert model.choose(rows) is None


def test_an_articles_quotes_scored_at_once_choose_as_each_alone():
    model = SpeakerModel.from_json({"features": list(FEATURES), "intercept": 0.0, "threshold": 0.5,
                                    "trees": two_trees()})
    first, second = np.zeros((3, len(FEATURES))), np.zeros((2, len(FEATURES)))
    first[2, 0] = 1.0
    second[0, 0], second[0, 1] = 0.2, 5.0  # left, then right: 0.5 + 0.25, probability 0.68
    empty = np.zeros((0, len(FEATURES)))
    assert model.choose_each([first, empty, second]) == [2, None, 0]
    assert [model.choose(first), model.choose(second)] == [2, 0]
