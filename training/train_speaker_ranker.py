"""Train the speaker ranker (``pipeline/core/nlp/speaker_model.json``) from the evaluation sets.

Usage, from the project root, with the training extra installed (``pip install -e '.[training]'``):

    .venv/bin/python training/train_speaker_ranker.py --eval ../shared/eval [--cache /tmp/speaker-ranker-cache]

What it does:
1. Reads each article of ``polnear-train``, ``polnear-dev`` and ``film-real-dev`` the way the pipeline
   does (the ingest's cleaning, the NLP stage's pipeline), and caches the parsed docs under
   ``--cache`` (spaCy DocBin), so a second run does not parse 1,000 articles again.
2. Runs the entity stage and the rule cascade on each article, and for every quote the pipeline
   finds that matches a gold quote, computes the ranker's feature rows (one per candidate);
   a candidate is right when its name is the gold speaker's (the scorer's rule: aliases, honorifics,
   middle names; never a surname alone).
3. Fits a model (``--learner``: a logistic regression, the default and the shipped one; a listwise
   conditional logit; gradient-boosted trees; scikit-learn and scipy) on ``polnear-train`` (speakers from automatic
   coreference weighted down: about a third of them are wrong) and ``film-real-dev``; reports
   ``film-real-dev`` by cross-validation (folds by article: each fold scored by a model that never saw
   it) and ``polnear-dev`` held out; chooses the two no-speaker thresholds (quotes whose own verb of
   saying has a subject the rules resolved, and the rest) on ``polnear-dev`` (the best quote+speaker F1,
   ties to the higher thresholds, optionally only among pairs whose precision when named reaches
   ``--min-precision``) and writes the model as
   JSON, with ``training/speaker_model_manifest.json`` naming the files it was trained on.

The texts of the sets are never copied into the repository: only coefficients and file names.
Output is deterministic (fixed solvers started from zero; the trees' random state fixed).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import pickle
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core.nlp import entities as entity_rules  # noqa: E402
from pipeline.core.nlp import quotes as quote_rules  # noqa: E402
from pipeline.core.cleaning import extract_article  # noqa: E402
from pipeline.core.errors import DocumentRejected  # noqa: E402
from pipeline.core.nlp.extraction import ArticleText, article_mentions, load_stage_pipeline  # noqa: E402
from pipeline.core.nlp.speaker_ranker import FEATURES, MODEL_FILE, BoostedTrees, threshold_for, unnamed_source  # noqa: E402
from pipeline.core.reading import discover_source_files, read_source_document  # noqa: E402
from pipeline.resources import DEFAULT_SPACY_MODEL  # noqa: E402

MANIFEST_FILE = Path(__file__).resolve().parent / "speaker_model_manifest.json"
SETS = ("polnear-train", "polnear-dev", "film-real-dev")
COREF_WEIGHT = 0.3
# Quotes of unnamed sources ("officials said", optional in the gold): they teach that no candidate speaks,
# but the gold leaves them out of the scoring, so they count for less.
OPTIONAL_WEIGHT = 0.3
# film-real-dev is the target domain and ten times smaller than polnear-train.
FILM_WEIGHT = 3.0


def load_scorer(eval_dir: Path):
    """The evaluation's own scorer module: its text matching and its rule for a right speaker."""
    spec = importlib.util.spec_from_file_location("eval_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_set(folder: Path):
    """(file name, text, title, italic spans) of each article of a set, as ingest cleans it."""
    out = []
    for source in discover_source_files(folder):
        if source.relative_path.endswith(".gold.json"):
            continue
        try:
            article = extract_article(read_source_document(source))
        except DocumentRejected:
            continue
        out.append((Path(source.relative_path).name, article.text, article.title, tuple(article.italic_spans)))
    return out


def parsed_set(name: str, eval_dir: Path, cache: Path):
    """The set's articles with their parsed docs, from the cache when it holds them."""
    from spacy.tokens import DocBin

    nlp = load_stage_pipeline(DEFAULT_SPACY_MODEL)
    articles = read_set(eval_dir / name)
    # The docs depend on the texts, the model and the components the stage adds (rulers, recognizers).
    key = hashlib.sha256(("\n".join(f"{a[0]}:{hashlib.sha256(a[1].encode()).hexdigest()}" for a in articles)
                          + DEFAULT_SPACY_MODEL + ",".join(nlp.pipe_names) + _pipeline_key()).encode()).hexdigest()[:12]
    path = cache / f"{name}-{key}.docbin"
    if path.exists():
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    else:
        print(f"parsing {len(articles)} articles of {name} (cached in {path})", file=sys.stderr)
        docs = list(nlp.pipe((a[1] for a in articles), batch_size=16))
        bin_ = DocBin(store_user_data=True)
        for doc in docs:
            bin_.add(doc)
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bin_.to_bytes())
    return articles, docs


def gold_speaker_matcher(scorer, gold: dict):
    org_names = {scorer.norm_name(ge["name"]): scorer.names_of(ge)
                 for ge in gold.get("entities", []) + gold.get("optional_entities", []) if ge["type"] == "ORG"}

    def speaker_ok(name, gq):
        if not gq.get("speaker"):
            return not name
        want = scorer.names_of({"name": gq["speaker"], "speaker_aliases": gq.get("speaker_aliases", [])})
        want |= org_names.get(scorer.norm_name(gq["speaker"]), set())
        if scorer.norm_name(name or "") in want:
            return True
        return any(scorer.same_person(name, n) for n in [gq["speaker"], *gq.get("speaker_aliases", [])])
    return speaker_ok


def examples_of(name: str, eval_dir: Path, cache: Path, scorer):
    """Per matched quote: (article, feature rows, which candidates are right, gold speaker or None, weight, cascade right)."""
    feature_cache = cache / f"{name}-features-{_code_key()}-{_files_key(eval_dir / name)}.pickle"
    if feature_cache.exists():
        return pickle.loads(feature_cache.read_bytes())
    articles, docs = parsed_set(name, eval_dir, cache)
    out = []
    for (file_name, text, title, italics), doc in zip(articles, docs):
        gold_path = eval_dir / name / (Path(file_name).stem + ".gold.json")
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text())
        _, quote_mentions = article_mentions(ArticleText(file_name, text, italics, title), doc)
        quotes = quote_rules.extract_quotes(text, quote_mentions, doc, title, rank_speakers=False)
        speaker_ok = gold_speaker_matcher(scorer, gold)
        text_norm, _ = scorer.norm_text(text)
        golds = [dict(gq, span=scorer.locate(gq["text"], text_norm)) for gq in gold.get("quotes", [])]
        n_gold = len(golds)
        working = quote_rules.speech_marks(text)
        rows_by_quote = {id(q): (cands, rows) for q, cands, rows in
                         quote_rules.speaker_feature_rows(working, quotes, quote_mentions, doc, title)}
        ranked = _ranked_quotes(rows_by_quote, quotes)
        article_rows = []
        n_sys = 0
        for quote in quotes:
            if quote.kind != "direct" or quote.level > 0:
                continue
            span = scorer.locate(text[quote.start:quote.end], text_norm)
            if span is None:
                n_sys += 1
                continue
            slen = span[1] - span[0]
            hits = [gq for gq in golds if gq["span"] and scorer.overlap(span, gq["span"]) >= 0.7 * slen]
            optional = [gq for gq in gold.get("optional_quotes", [])
                        if (gs := scorer.locate(gq["text"], text_norm)) and scorer.overlap(span, gs) >= 0.7 * slen]
            if not hits:
                if not optional:
                    n_sys += 1
                elif not any(gq.get("speaker") for gq in optional):
                    # An unnamed source ("officials said"): scored neither way, but it teaches that no
                    # candidate of the article speaks.
                    article_rows.append(_example(quote, optional[0], rows_by_quote, speaker_ok, reported=False,
                                                 optional=True))
                continue
            n_sys += 1
            article_rows.append(_example(quote, hits[0], rows_by_quote, speaker_ok, reported=False))
        # Reported speech, where the gold annotates it: a match overlaps the gold span by half of each.
        golds_reported = [dict(gq, span=scorer.locate(gq["text"], text_norm)) for gq in gold.get("indirect_quotes", [])]
        n_reported_sys = 0
        for quote in quotes:
            if quote.kind != "indirect" or "indirect_quotes" not in gold:
                continue
            span = scorer.locate(text[quote.start:quote.end], text_norm)
            n_reported_sys += 1
            hits = [gq for gq in golds_reported if span and gq["span"] and _same_span(scorer, span, gq["span"])]
            if hits:
                article_rows.append(_example(quote, hits[0], rows_by_quote, speaker_ok, reported=True))
        out.append(dict(file=file_name, quotes=article_rows, ranked=ranked, n_gold=n_gold, n_sys=n_sys, text=text,
                        n_reported_gold=len(golds_reported), n_reported_sys=n_reported_sys))
    feature_cache.write_bytes(pickle.dumps(out))
    return out


def _ranked_quotes(rows_by_quote, quotes) -> list[dict]:
    """Every quote of the article the stage ranks, in reading order, with what the final decision reads: its
    rows, the rules' choice (an index into the article's candidates, shared by all its quotes), whether a
    decisive sieve made it, and the quote the rules carried its speaker from (``quotes._carry_decided_speakers``)."""
    out = []
    for quote in sorted((q for q in quotes if id(q) in rows_by_quote), key=lambda q: q.start):
        cands, rows = rows_by_quote[id(quote)]
        ids = [c.entity_id for c in cands]
        source = quote.carried_from
        out.append(dict(key=id(quote), rows=rows, decisive=quote.attribution in quote_rules.DECISIVE_SIEVES,
                        cascade=ids.index(quote.speaker_entity_id) if quote.speaker_entity_id in ids else None,
                        source=id(source) if source is not None and id(source) in rows_by_quote else None))
    return out


def final_choices(article, params, threshold) -> dict[int, int | None]:
    """The stage's decision for each ranked quote of an article (an index into its candidates, or None): the
    ranker's, the rules' for a decisive sieve, and a carried quote the ranker left as the rules had it
    following the decision made for its source."""
    out: dict[int, int | None] = {}
    for entry in article["ranked"]:
        if entry["decisive"]:
            out[entry["key"]] = entry["cascade"]
            continue
        choice = decide(params, entry["rows"], threshold)
        source = entry["source"]
        if source is not None and source in out and choice == entry["cascade"] and out[source] != entry["cascade"]:
            choice = out[source]
        out[entry["key"]] = choice
    return out


def _same_span(scorer, a, b) -> bool:
    overlap = scorer.overlap(a, b)
    return overlap >= 0.5 * (a[1] - a[0]) and overlap >= 0.5 * (b[1] - b[0])


def _example(quote, gq, rows_by_quote, speaker_ok, reported: bool, optional: bool = False) -> dict:
    cands, rows = rows_by_quote.get(id(quote), ([], np.zeros((0, len(FEATURES)))))
    return dict(key=id(quote), rows=rows, right=np.asarray([speaker_ok(c.name, gq) for c in cands], dtype=bool),
                gold_has_speaker=bool(gq.get("speaker")), reported=reported, optional=optional,
                weight=COREF_WEIGHT if gq.get("speaker_source") == "coref" else 1.0,
                cascade_right=speaker_ok(quote.speaker, gq), cascade_named=bool(quote.speaker),
                start=quote.start, end=quote.end, gold_speaker=gq.get("speaker"), cascade_speaker=quote.speaker,
                cascade_how=quote.attribution, candidates=[c.name for c in cands])


def _pipeline_key() -> str:
    """What the parsed docs depend on besides the texts and the model: the stage's own components."""
    from pipeline.core.nlp import paragraphs, pipeline as stage_pipeline, recognizers

    return stage_pipeline.rules_version(stage_pipeline, recognizers, paragraphs, stage_pipeline.MEDIA_ORGANISATIONS_FILE,
                                        recognizers.VENUE_PATTERNS_FILE, recognizers.PERSON_NAME_PATTERNS_FILE,
                                        recognizers.TITLE_CUES_FILE, recognizers.TRANSCRIPT_LABELS_FILE)


def _files_key(folder: Path) -> str:
    """The set's files as they are now: a corrected gold or a changed article gives a new feature cache."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _code_key() -> str:
    """The features depend on the code that computes them, the page cleaning that gives the texts
    included: a changed rule gives a new feature cache."""
    from pipeline.core import cleaning
    from pipeline.core.nlp import (attribution, cue_patterns, given_names, lexicon, quote_marks, speaker_ranker,
                                   speaker_resolution, speaker_rules, speech_spans)

    digest = hashlib.sha256()
    for module in (cleaning, quote_rules, quote_marks, speech_spans, cue_patterns, speaker_rules, speaker_resolution,
                   entity_rules, attribution, speaker_ranker, given_names, lexicon):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def stack(articles, film_weight: float):
    """Every candidate row of every quote, whether it is the gold speaker, and its weight."""
    xs, ys, ws = [], [], []
    for article in articles:
        for q in article["quotes"]:
            if not len(q["rows"]):
                continue
            xs.append(q["rows"])
            ys.append(q["right"])
            weight = q["weight"] * (film_weight if article.get("film") else 1.0) * (OPTIONAL_WEIGHT if q["optional"] else 1.0)
            ws.append(np.full(len(q["rows"]), weight))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def fit(articles, c_value: float, film_weight: float):
    """A logistic regression over candidate rows on standardised features (lbfgs: deterministic)."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = stack(articles, film_weight)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c_value, solver="lbfgs", max_iter=5000)
    model.fit((x - mean) / scale, y, sample_weight=w)
    return dict(mean=mean, scale=scale, coef=model.coef_[0], intercept=float(model.intercept_[0]))


def fit_listwise(articles, c_value: float, film_weight: float):
    """A conditional logit over each quote's candidates plus a no-speaker option (score 0): the
    candidates of one quote compete for it, rather than each being judged alone. A quote whose gold
    speaker is no candidate, or who has none, is the no-speaker option's. Weighted negative log
    likelihood with an L2 penalty of 1/(2C), minimised by L-BFGS from zero (deterministic)."""
    from scipy.optimize import minimize

    xs, targets, weights, sizes = [], [], [], []
    for article in articles:
        for q in article["quotes"]:
            if not len(q["rows"]):
                continue
            xs.append(q["rows"])
            right = np.flatnonzero(q["right"])
            targets.append(int(right[0]) if len(right) else -1)
            weights.append(q["weight"] * (film_weight if article.get("film") else 1.0)
                           * (OPTIONAL_WEIGHT if q["optional"] else 1.0))
            sizes.append(len(q["rows"]))
    x = np.vstack(xs)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    sizes = np.asarray(sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(sizes)), sizes)
    weights = np.asarray(weights)
    targets = np.asarray(targets)
    has_target = targets >= 0
    target_rows = offsets[has_target] + targets[has_target]
    n_features = z.shape[1]

    def loss(theta):
        coef, intercept = theta[:n_features], theta[n_features]
        score = z @ coef + intercept
        top = np.maximum(np.maximum.reduceat(score, offsets), 0.0)  # the no-speaker option scores 0
        e = np.exp(score - top[group])
        norm = np.exp(-top) + np.add.reduceat(e, offsets)
        log_norm = top + np.log(norm)
        picked = np.zeros(len(sizes))
        picked[has_target] = score[target_rows]
        nll = float(weights @ (log_norm - picked))
        p = e / norm[group] * weights[group]
        grad_score = p.copy()
        np.subtract.at(grad_score, target_rows, weights[has_target])
        grad = np.concatenate([z.T @ grad_score, [grad_score.sum()]])
        grad[:n_features] += coef / c_value
        return nll + 0.5 * float(coef @ coef) / c_value, grad

    result = minimize(loss, np.zeros(n_features + 1), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    return dict(mean=mean, scale=scale, coef=result.x[:n_features], intercept=float(result.x[n_features]),
                normalisation="listwise")


def fit_boosting(articles, c_value: float, film_weight: float, n_trees: int = 100, depth: int = 3):
    """Gradient-boosted trees over candidate rows (scikit-learn, a fixed random state: deterministic),
    kept as plain arrays: each tree's split feature, threshold, children and leaf value."""
    from sklearn.ensemble import GradientBoostingClassifier

    x, y, w = stack(articles, film_weight)
    model = GradientBoostingClassifier(n_estimators=n_trees, max_depth=depth, learning_rate=0.1, random_state=0)
    model.fit(x, y, sample_weight=w)
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(dict(feature=tree.feature.tolist(), threshold=tree.threshold.tolist(),
                          left=tree.children_left.tolist(), right=tree.children_right.tolist(),
                          value=(tree.value[:, 0, 0] * model.learning_rate).tolist()))
    prior = float(model.init_.class_prior_[1])
    return dict(trees=trees, intercept=math.log(prior / (1 - prior)))


def candidate_probabilities(params, rows):
    """Each candidate's probability of being the speaker: alone (logistic) or against the quote's other
    candidates and the no-speaker option (listwise)."""
    if "trees" in params:
        if "scorer" not in params:
            params["scorer"] = BoostedTrees(params["trees"])
        return 1 / (1 + np.exp(-(params["scorer"].scores(rows) + params["intercept"])))
    score = ((rows - params["mean"]) / params["scale"]) @ params["coef"] + params["intercept"]
    if params.get("normalisation") == "listwise":
        top = max(float(score.max()), 0.0)
        e = np.exp(score - top)
        return e / (np.exp(-top) + e.sum())
    return 1 / (1 + np.exp(-score))


def decide(params, rows, threshold: tuple[float, float | None]):
    """The index of the chosen candidate, or None for no speaker."""
    if not len(rows) or unnamed_source(rows):
        return None
    p = candidate_probabilities(params, rows)
    best = int(p.argmax())
    return best if p[best] >= threshold_for(rows, threshold) else None


def error_shape(q, named: bool) -> str:
    """Why a found quote's speaker is wrong: a wrong candidate chosen while the right one was a
    candidate, no speaker where one was due (and a candidate was right, or none was), a speaker named
    where the gold has none, or the right speaker among no candidate at all."""
    has_right = bool(q["right"].any())
    if not named:
        return "no speaker, right one a candidate" if has_right else "no speaker, right one not a candidate"
    if not q["gold_has_speaker"]:
        return "speaker named, none due"
    return "wrong candidate, right one a candidate" if has_right else "wrong candidate, right one not a candidate"


def measure(articles, params_of, threshold: tuple[float, float | None], reported: bool = False):
    """The scorer's speaker figures for these articles' direct quotes (or reported speech): right on found,
    precision when named, and quote+speaker (reported+speaker) F1."""
    found = right = named = named_right = n_sys = n_gold = 0
    cascade_right = cascade_named = cascade_named_right = 0
    shapes, cascade_shapes = Counter(), Counter()
    for article in articles:
        params = params_of(article)
        choices = final_choices(article, params, threshold)
        n_sys += article["n_reported_sys"] if reported else article["n_sys"]
        n_gold += article["n_reported_gold"] if reported else article["n_gold"]
        for q in article["quotes"]:
            if q["reported"] != reported or q["optional"]:
                continue
            found += 1
            if q["cascade_how"] in quote_rules.DECISIVE_SIEVES:
                # The stage keeps these sieves' choice over the model's (``quotes.extract_quotes``).
                ok = q["cascade_right"]
                named += q["cascade_named"]
                named_right += q["cascade_named"] and ok
                right += ok
                cascade_right += q["cascade_right"]
                cascade_named += q["cascade_named"]
                cascade_named_right += q["cascade_named"] and q["cascade_right"]
                if not ok:
                    shapes["decisive sieve wrong"] += 1
                    cascade_shapes[error_shape(q, q["cascade_named"])] += 1
                continue
            best = choices[q["key"]] if q["key"] in choices else decide(params, q["rows"], threshold)
            if best is None:
                ok = not q["gold_has_speaker"]
            else:
                ok = bool(q["right"][best])
                named += 1
                named_right += ok
            right += ok
            if not ok:
                shapes[error_shape(q, best is not None)] += 1
            cascade_right += q["cascade_right"]
            cascade_named += q["cascade_named"]
            cascade_named_right += q["cascade_named"] and q["cascade_right"]
            if not q["cascade_right"]:
                cascade_shapes[error_shape(q, q["cascade_named"])] += 1
    def f1(tp):
        p, r = tp / n_sys if n_sys else 0, tp / n_gold if n_gold else 0
        return round(2 * p * r / (p + r), 3) if p + r else 0.0
    return {
        "found": found, "speaker_right_on_found": round(right / found, 3) if found else None,
        "precision_when_named": round(named_right / named, 3) if named else None, "quote_speaker_f1": f1(right),
        "errors_by_shape": dict(sorted(shapes.items())),
        "rules_only": {"speaker_right_on_found": round(cascade_right / found, 3) if found else None,
                       "precision_when_named": round(cascade_named_right / cascade_named, 3) if cascade_named else None,
                       "quote_speaker_f1": f1(cascade_right),
                       "errors_by_shape": dict(sorted(cascade_shapes.items()))},
    }


LEARNERS = {"logistic": fit, "listwise": fit_listwise, "boosting": fit_boosting}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="the evaluation sets' folder")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/speaker-ranker-cache"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--film-weight", type=float, default=FILM_WEIGHT,
                        help="weight of a film-real-dev quote against a polnear-train one")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--learner", choices=sorted(LEARNERS), default="logistic",
                        help="logistic: each candidate alone; listwise: a quote's candidates and the no-speaker "
                             "option compete; boosting: gradient-boosted trees over candidates")
    parser.add_argument("--min-precision", type=float, default=0.0,
                        help="the no-speaker threshold is the one of best quote+speaker F1 on polnear-dev whose "
                             "precision when named is at least this (ties go to the higher threshold)")
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument("--shipped", action="store_true",
                        help="measure the shipped model (errors by shape included) instead of training one")
    args = parser.parse_args()
    scorer = load_scorer(args.eval)
    data = {name: examples_of(name, args.eval, args.cache, scorer) for name in SETS}
    train, dev, film = data["polnear-train"], data["polnear-dev"], data["film-real-dev"]
    for article in film:
        article["film"] = True

    if args.shipped:
        shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        params = {k: np.asarray(v) if isinstance(v, list) and k != "trees" else v for k, v in shipped.items()}
        thresholds = (params["threshold"], params.get("threshold_cued"))
        report = {name: measure(articles, lambda a: params, thresholds, reported=reported)
                  for name, articles, reported in (("polnear-dev", dev, False), ("film-real-dev (trained on)", film, False),
                                                   ("polnear-dev reported speech", dev, True))}
        print(json.dumps(report, indent=1))
        return 0

    # Cross-validation on film-real-dev: folds by article, in file-name order.
    folds = [film[i::args.folds] for i in range(args.folds)]
    fold_params = {}
    for i, held in enumerate(folds):
        rest = [a for j, f in enumerate(folds) if j != i for a in f]
        params = LEARNERS[args.learner](train + rest, args.c, args.film_weight)
        for article in held:
            fold_params[article["file"]] = params
    final = LEARNERS[args.learner](train + film, args.c, args.film_weight)

    # The no-speaker thresholds (for quotes with no resolved verb of saying of their own, and for those with
    # one: ``speaker_ranker.threshold_for``), chosen together on polnear-dev: the best quote+speaker F1 among
    # the pairs whose precision when named reaches --min-precision, ties to the higher thresholds.
    curve = {}
    grid = [round(float(v), 2) for v in np.arange(0.0, 0.65, 0.05)]
    for uncued in grid:
        for cued in grid:
            figures = measure(dev, lambda a: final, (uncued, cued))
            curve[f"{uncued:.2f}/{cued:.2f}"] = (figures["speaker_right_on_found"], figures["precision_when_named"],
                                                 figures["quote_speaker_f1"])
    allowed = [k for k, v in curve.items() if v[1] is not None and v[1] >= args.min_precision] or list(curve)
    best = max(allowed, key=lambda k: (curve[k][2], *map(float, k.split("/"))))
    thresholds = tuple(map(float, best.split("/")))
    threshold, threshold_cued = thresholds
    report = {
        "threshold": threshold,
        "threshold_cued": threshold_cued,
        "polnear-dev by threshold, uncued/cued (right on found, precision when named, quote+speaker F1)":
            {k: v for k, v in curve.items() if k == best or k.split("/")[0] == k.split("/")[1]
             or k.split("/")[0] == best.split("/")[0]},
        "polnear-dev (held out)": measure(dev, lambda a: final, thresholds),
        "film-real-dev (trained on)": measure(film, lambda a: final, thresholds),
        "film-real-dev (cross-validated)": measure(film, lambda a: fold_params[a["file"]], thresholds),
        "polnear-dev, thresholds 0": measure(dev, lambda a: final, (0.0, 0.0)),
        "polnear-dev reported speech": measure(dev, lambda a: final, thresholds, reported=True),
    }
    print(json.dumps(report, indent=1))
    if args.dry_run:
        return 0
    if "trees" in final:
        model = {
            "kind": "gradient-boosted trees over candidates (one row per candidate speaker of a quote); per tree: "
                    "split feature, threshold (go left when the value is at most it), left and right child "
                    "(-1 at a leaf), leaf value",
            "features": list(FEATURES),
            "intercept": round(final["intercept"], 6),
            "threshold": threshold,
            "threshold_cued": threshold_cued,
        }
        trees = [{"feature": t["feature"], "threshold": [round(v, 6) for v in t["threshold"]], "left": t["left"],
                  "right": t["right"], "value": [round(v, 6) for v in t["value"]]} for t in final["trees"]]
        head = json.dumps(model, indent=1)[:-2]
        text = head + ',\n "trees": [\n' + ",\n".join("  " + json.dumps(t, separators=(",", ":")) for t in trees) + "\n ]\n}"
    else:
        model = {
            "kind": "logistic regression over candidates (one row per candidate speaker of a quote)",
            "features": list(FEATURES),
            "mean": [round(float(v), 6) for v in final["mean"]],
            "scale": [round(float(v), 6) for v in final["scale"]],
            "coef": [round(float(v), 6) for v in final["coef"]],
            "intercept": round(final["intercept"], 6),
            "threshold": threshold,
            "threshold_cued": threshold_cued,
        }
        text = json.dumps(model, indent=1)
    MODEL_FILE.write_text(text + "\n", encoding="utf-8")
    manifest = {
        "trained_by": "training/train_speaker_ranker.py",
        "learner": args.learner,
        "regularisation_c": args.c,
        "film_weight": args.film_weight,
        "coref_speaker_weight": COREF_WEIGHT,
        "trained_on": {name: sorted(a["file"] for a in data[name]) for name in ("polnear-train", "film-real-dev")},
        "threshold_chosen_on": "polnear-dev",
        "min_precision_when_named": args.min_precision,
        "figures": report,
    }
    MANIFEST_FILE.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} and {MANIFEST_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
