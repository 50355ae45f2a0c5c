"""Fitting the segmenter: label transitions counted from labelled pages, then the
appendix gate learned on out-of-fold probabilities and its threshold tuned with the
gate's own decision (`detector.segmenter.gate_path`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from detector.segmenter import (
    APPENDIX_FEATURES, AppendixGate, Segmenter, appendix_features, decode_labels, gate_path, propose,
)
from detector.types import LABELS, Label, post_slices

from .dataset import LabelledPage
from .evaluate import Report, score_pages

_FILLER = Label.FILLER.column

# Clean articles must come out whole: of the gate thresholds that cost clean pages at
# most this share of their reporting text (mean per page, on out-of-fold predictions,
# against letting no appendix through), the one with the best reporting kept + filler
# removed is taken. Per page, not pooled characters: pooled, a few long how-to pages
# set the bar for all. Relative, not absolute: real pages (their extraction and their
# gold disagree on a few blocks) keep about 0.98 of their reporting whatever the gate
# does, and an absolute 0.995 then let no appendix through at all (filler removed 0.001).
CLEAN_LOSS_ALLOWED = 0.004
# Thresholds tried: the quantiles 0, 0.025, ..., 1 of the candidate posts' scores.
THRESHOLD_QUANTILES = np.linspace(0.0, 1.0, 41)
# Filler priors tried: log-odds added to the filler label in sequence decoding (its
# start and every transition into it), each with its own gate. The second pass is
# calibrated for blocks, and on held-out pages it leaves filler it is unsure of as
# reporting: measured on the held-out side (gate fitted at prior 0), priors 0 / 1 / 2
# gave filler removed 0.521 / 0.587 / 0.651 for reporting kept 0.9944 / 0.9915 / 0.9849.
# The largest filler removed is taken whose reporting kept is at most
# REPORTING_LOSS_ALLOWED below prior 0's: reporting lost is the worse error, and
# weighed equally with filler removed, training took prior 2 at 0.9806 kept.
FILLER_PRIORS = (0.0, 0.5, 1.0, 1.5, 2.0)
REPORTING_LOSS_ALLOWED = 0.005
GATE_C = 1.0  # the gate's logistic regression: inverse regularisation
GATE_MAX_ITER = 1000


def fit_segmenter(pages: Sequence[LabelledPage]) -> Segmenter:
    """Label transitions inside posts, counted from the labelled pages (add-one
    smoothed); the gate unfitted (every proposed appendix passes)."""
    k = len(LABELS)
    start = np.ones(k)
    transitions = np.ones((k, k))
    for page in pages:
        columns = [label.column for label in page.labels]
        for rows in post_slices(page.blocks):
            post = columns[rows]
            start[post[0]] += 1
            for previous, current in zip(post, post[1:]):
                transitions[previous, current] += 1
    return Segmenter(
        start=np.log(start / start.sum()),
        transitions=np.log(transitions / transitions.sum(axis=1, keepdims=True)),
        gate=AppendixGate.unfitted(),
    )


def with_filler_prior(segmenter: Segmenter, prior: float) -> Segmenter:
    """The segmenter with `prior` added to the filler label's start and incoming transitions."""
    start, transitions = segmenter.start.copy(), segmenter.transitions.copy()
    start[_FILLER] += prior
    transitions[:, _FILLER] += prior
    return replace(segmenter, start=start, transitions=transitions)


def fit_filler_prior(
    pages: Sequence[LabelledPage], probabilities: np.ndarray, spans: Sequence[slice], segmenter: Segmenter,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[Segmenter, Report]:
    """Of `FILLER_PRIORS`, each with its gate fitted, the one removing the most filler
    while reporting kept stays within REPORTING_LOSS_ALLOWED of prior 0's and clean pages
    lose at most CLEAN_LOSS_ALLOWED against prior 0 with no appendix passing
    (out-of-fold probabilities); with it, the pages' figures under it."""
    closed = replace(segmenter, gate=AppendixGate(np.zeros(len(APPENDIX_FEATURES)), 0.0, np.inf))
    floor = _clean_kept(score_pages(pages, decode_pages(pages, probabilities, spans, closed)).text) - CLEAN_LOSS_ALLOWED
    best: tuple[Segmenter, Report] | None = None
    best_filler, reporting_floor = -np.inf, -np.inf
    for prior in FILLER_PRIORS:
        candidate = fit_appendix_gate(pages, probabilities, spans, with_filler_prior(segmenter, prior))
        report = score_pages(pages, decode_pages(pages, probabilities, spans, candidate))
        text = report.text
        filler = float(np.nan_to_num(text["filler_removed"]))
        progress(f"filler prior {prior}: reporting kept {text['reporting_kept']:.4f}, "
                 f"filler removed {filler:.4f}, clean pages {text['clean_page_kept_mean']:.4f}")
        if prior == FILLER_PRIORS[0]:
            reporting_floor = text["reporting_kept"] - REPORTING_LOSS_ALLOWED
        if _clean_kept(text) >= floor and text["reporting_kept"] >= reporting_floor and filler > best_filler:
            best, best_filler = (candidate, report), filler
    if best is None:  # no prior met the constraints: the segmenter as it came
        return segmenter, score_pages(pages, decode_pages(pages, probabilities, spans, segmenter))
    return best


@dataclass(frozen=True)
class _Proposal:
    """One post's Viterbi path, and its gate features when it proposes filler."""

    page: int
    rows: slice  # the post's blocks within its page
    path: np.ndarray
    features: np.ndarray | None


def fit_appendix_gate(
    pages: Sequence[LabelledPage], probabilities: np.ndarray, spans: Sequence[slice], segmenter: Segmenter
) -> Segmenter:
    """Learn when a proposed appendix is a real one, and the threshold for it.

    A logistic regression over `APPENDIX_FEATURES` of every post with a proposed
    appendix (target: the gold post has filler), then the threshold chosen as
    CLEAN_LOSS_ALLOWED says.
    """
    proposals = _proposals(pages, probabilities, spans, segmenter)
    candidates = [p for p in proposals if p.features is not None]
    if not candidates:
        return segmenter
    table = np.vstack([p.features for p in candidates if p.features is not None])
    target = np.array([Label.FILLER in pages[p.page].labels[p.rows] for p in candidates])
    if target.all() or not target.any():
        return segmenter
    scaler = StandardScaler().fit(table)
    weights = np.array([pages[p.page].weight for p in candidates])
    gate = LogisticRegression(C=GATE_C, max_iter=GATE_MAX_ITER).fit(scaler.transform(table), target, sample_weight=weights)
    coef = gate.coef_[0] / scaler.scale_
    fitted = AppendixGate(coef=coef, intercept=float(gate.intercept_[0] - (coef * scaler.mean_).sum()), threshold=0.0)
    scores = table @ fitted.coef + fitted.intercept
    best = replace(fitted, threshold=float(scores.max()) + 1.0)
    floor = _clean_kept(score_pages(pages, _gated_labels(pages, proposals, best)).text) - CLEAN_LOSS_ALLOWED
    best_value = -np.inf
    for threshold in np.quantile(scores, THRESHOLD_QUANTILES):
        candidate = replace(fitted, threshold=float(threshold))
        text = score_pages(pages, _gated_labels(pages, proposals, candidate)).text
        if _clean_kept(text) < floor:
            continue
        value = text["reporting_kept"] + np.nan_to_num(text["filler_removed"])
        if value > best_value:
            best, best_value = candidate, value
    return replace(segmenter, gate=best)


def _clean_kept(text: dict) -> float:
    """Clean pages' reporting kept, mean per page; 1 when there are no clean pages."""
    value = text["clean_page_kept_mean"]
    return 1.0 if np.isnan(value) else float(value)


def _proposals(pages: Sequence[LabelledPage], probabilities: np.ndarray, spans: Sequence[slice],
               segmenter: Segmenter) -> list[_Proposal]:
    """Every post's proposed path and gate features: computed once, gated per threshold."""
    proposals = []
    for number, (page, span) in enumerate(zip(pages, spans)):
        page_probabilities = probabilities[span]
        for rows in post_slices(page.blocks):
            texts = [block.text for block in page.blocks[rows]]
            path = propose(page_probabilities[rows], segmenter.start, segmenter.transitions, texts)
            proposals.append(_Proposal(number, rows, path, appendix_features(page_probabilities[rows], path)))
    return proposals


def _gated_labels(pages: Sequence[LabelledPage], proposals: list[_Proposal], gate: AppendixGate) -> list[list[Label]]:
    """The labels decoding gives every page under `gate` (as `decode_labels` would)."""
    labels = [[Label.REPORTING] * len(page.blocks) for page in pages]
    for proposal in proposals:
        path = gate_path(proposal.path, proposal.features, gate)
        labels[proposal.page][proposal.rows] = [LABELS[index] for index in path]
    return labels


def decode_pages(pages: Sequence[LabelledPage], probabilities: np.ndarray, spans: Sequence[slice],
                 segmenter: Segmenter) -> list[list[Label]]:
    """Labels of every page as the shipped pipeline decodes them, from given probabilities."""
    return [
        [LABELS[i] for i in decode_labels(probabilities[span], page.blocks, segmenter)]
        for page, span in zip(pages, spans)
    ]
