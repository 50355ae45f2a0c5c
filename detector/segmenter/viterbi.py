"""Sequence decoding of one post: Viterbi over the four labels, then each section of
the post's content read as a body followed by an appendix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.types import Label

from .stories import new_stories

_FILLER, _REPORTING, _HASHTAG = Label.FILLER.column, Label.REPORTING.column, Label.HASHTAG_SPAM.column
# A block the classifier is this sure is a tag list stays one wherever it stands: where
# post splitting put a keyword line first in a post, or a tag cloud after the body
# with no appendix before it, the sequence's start and transitions outvoted p 0.89-1.00
# (held-out: 4 tag blocks, no block of another label at or above it).
TAGS_CERTAIN = 0.85
# Likewise a block the classifier is this sure is filler is proposed as filler even where
# the rare filler -> reporting transition made Viterbi call it reporting (an aside between
# two items of an aggregator); the sections below still decide whether it is appended
# (held-out filler removed 0.9204 -> 0.9317, 0.9270 at 0.9; reporting kept and every
# real page unchanged).
FILLER_CERTAIN = 0.8
EPS = 1e-9  # probabilities are floored before the log


def viterbi(log_emissions: np.ndarray, start: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Most likely label index sequence for one post."""
    n, k = log_emissions.shape
    score = start + log_emissions[0]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        candidates = score[:, None] + transitions  # previous x current
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_emissions[t]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def propose(probabilities: np.ndarray, start: np.ndarray, transitions: np.ndarray,
            texts: Sequence[str] | None = None) -> np.ndarray:
    """One post's labels before the gate: Viterbi (blocks the classifier is sure of keep its
    label), then filler kept only where it is appended."""
    # Emissions are the posteriors themselves, not posteriors over priors: the
    # second pass already saw the neighbours, and dividing by the (small) filler
    # prior pulled the ends of bodies into appendices (seed 001, post 1).
    path = viterbi(np.log(probabilities + EPS), start, transitions)
    path[probabilities[:, _HASHTAG] >= TAGS_CERTAIN] = _HASHTAG
    path[(probabilities[:, _FILLER] >= FILLER_CERTAIN) & (path == _REPORTING)] = _FILLER
    return trailing_appendix(path, texts)


def trailing_appendix(path: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
    """Each section of the post's content (blocks labelled reporting or filler) as a
    body followed by an appendix: filler before its section's last reporting block is
    relabelled reporting.

    An appendix is appended: it never sits inside the body (a how-to list in the
    middle of an article stays). Tags and chrome keep their Viterbi labels wherever
    they are. (Measured against splitting at the change point where the suffix's
    summed filler log-odds peak: that cut into the ends of clean articles, 0.991
    of their text kept against 0.997.)
    """
    path = path.copy()
    for rows in sections(path, texts):
        part = path[rows]  # a view: relabelling it relabels the path
        reporting = np.flatnonzero(part == _REPORTING)
        if len(reporting):
            part[np.flatnonzero(part[: reporting[-1]] == _FILLER)] = _REPORTING
    return path


def sections(path: np.ndarray, texts: Sequence[str] | None = None) -> list[slice]:
    """A post's sections. Each ends with its own appendix, if any:
    - tags or chrome right after filler close a section;
    - so does filler between a separator and the next reporting block (an aside);
    - and filler followed by reporting that starts another story (`stories.py`; read
      from the post's block `texts`, when given).

    Where post splitting missed a boundary, what follows an appendix's tag list or
    its "Continue reading" line (the next post, related-story links read as
    reporting) is no part of the story, and must not pull the appendix into the
    story's body. On the held-out side of the corpus, 261 of the 1,908 filler blocks
    that Viterbi found were lost that way, 90 of them before a tag list. Likewise an
    aggregator's aside, placed after one item's "Read more" and before the next
    item's lede (held-out filler removed 0.876 -> 0.884), and an appendix that runs
    into the next post with no separator at all (0.884 -> 0.920). No real page's
    output changed with any of the three.
    """
    content = (path == _REPORTING) | (path == _FILLER)
    starts = [0]
    last_content = -1
    aside = False  # the filler run ending at i - 1 began right after a separator that followed content
    candidates = []  # reporting right after filler, with no separator before the filler
    for i in range(1, len(path)):
        if content[i - 1]:
            last_content = i - 1
        separated = bool(content[i] and not content[i - 1] and last_content >= 0)
        if separated and path[last_content] == _FILLER:
            starts.append(i)
        elif path[i] == _REPORTING and path[i - 1] == _FILLER:
            if aside:
                starts.append(i)
            else:
                candidates.append(i)
        if path[i] != _FILLER:
            aside = False
        elif not content[i - 1]:
            aside = separated
    if texts is not None and candidates:
        starts = sorted(starts + new_stories(texts, candidates))
    return [slice(a, b) for a, b in zip(starts, starts[1:] + [len(path)])]
