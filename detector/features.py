"""Block features: hashed word and character n-grams, and the dense signals a
style model lacks (novelty against earlier blocks, entities, digits, position).

Everything here is plain numpy and `re`, so the shipped model can score pages
without importing scikit-learn (which alone takes about 1 s to import). The
training pipeline wraps the same functions in scikit-learn transformers
(`detector.training`), so both paths see identical features.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .types import Block, BlockKind

# Hashed feature spaces. 2**18 buckets each keep collisions rare for the
# ~100k distinct n-grams a training corpus holds; the shipped model stores
# only the buckets that training actually saw.
WORD_BITS = 18
CHAR_BITS = 18
CHAR_NGRAMS = (3, 4, 5)

# How many earlier blocks a block's echoes are looked for in. Posts longer than
# this (live blogs, pathological pages) would otherwise cost quadratic time.
ECHO_WINDOW = 40

_WORD = re.compile(r"#?\w[\w'’\-]*")
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_NUMBER_TOKEN = re.compile(r"\S*\d\S*")  # a whitespace-delimited token holding a digit
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[•\-*–·▪●])\s")
_QUOTES = re.compile(r"[\"“”«»]")
_CAPITALISED = re.compile(r"^[A-Z][\w'’\-]*$")
# Two or more capitalised words in a row: a full name ("Jayant Patel", "Crystal Palace").
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")

# Function words never count as new information when measuring novelty.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say one two new also may might must shall
    its it's which while within without upon among amid like however still yet even well""".split()
)

# Words of stock commentary: what a generic summary says instead of facts
# ("this highlights the importance of...", "it remains to be seen...").
# Our own list, from reading appended summaries; no other words count.
STOCK_COMMENTARY = frozenset(
    """underscores underscore underscoring highlights highlighting reminder remains unfold unfolds
    unfolding broader landscape crucial importance significance implications stakeholders observers
    perspective overall ultimately summary conclusion furthermore moreover additionally evolving
    dynamics considerations pivotal testament navigate navigating fostering emphasize emphasizes
    emphasizing tuned updates developments situation escalate escalation concerns heightened
    tensions profound paramount vital essential ongoing""".split()
)

DENSE_FEATURES: tuple[str, ...] = (
    "log_words",
    "chars_per_word",
    "digit_share",
    "number_share",
    "has_quote",
    "entity_share",
    "hashtag_share",
    "comma_share",
    "list_marker",
    "ends_sentence",
    "sentences",
    "is_heading",
    "is_list_item",
    "relative_position",
    "blocks_to_end",
    "word_novelty",
    "entity_novelty",
    "echo_spread",
    "headline_overlap",
    "lead_overlap",
    "reintroduced_names",
    "tail_anchor_after",
    "post_blocks",
    "stock_commentary_share",
)


def normalise(text: str) -> str:
    """Lowercase, digits folded to 0, whitespace collapsed: what the n-grams see."""
    return _SPACES.sub(" ", _DIGIT.sub("0", text.lower())).strip()


def word_tokens(normalised: str) -> list[str]:
    """Unigrams and bigrams of a normalised text."""
    words = _WORD.findall(normalised)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def hash_words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word-feature buckets per text: (row ids, bucket ids), one pair per token."""
    rows: list[int] = []
    buckets: list[int] = []
    mask = (1 << WORD_BITS) - 1
    known: dict[str, int] = {}  # a page repeats its words: hash each once
    for row, text in enumerate(texts):
        tokens = word_tokens(normalise(text))
        rows.extend([row] * len(tokens))
        for token in tokens:
            bucket = known.get(token)
            if bucket is None:
                bucket = known[token] = zlib.crc32(token.encode("utf-8")) & mask
            buckets.append(bucket)
    return np.asarray(rows, dtype=np.int64), np.asarray(buckets, dtype=np.int64)


def hash_chars(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Character n-gram buckets per text, vectorised over all texts at once.

    The texts are joined with a separator, code points become a uint64 array,
    and each n-gram's bucket is a polynomial rolling hash; n-grams that would
    cross a separator are dropped.
    """
    normalised = [normalise(t) for t in texts]
    lengths = np.fromiter((len(t) for t in normalised), dtype=np.int64, count=len(normalised))
    if lengths.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    joined = "\x00".join(normalised)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)[: len(codes)]
    is_sep = codes == 0
    rows_out, buckets_out = [], []
    mask = np.uint64((1 << CHAR_BITS) - 1)
    for n in CHAR_NGRAMS:
        if len(codes) < n:
            continue
        h = np.zeros(len(codes) - n + 1, dtype=np.uint64)
        crosses = np.zeros(len(h), dtype=bool)
        for j in range(n):
            h = h * np.uint64(1_000_003) + codes[j : j + len(h)]
            crosses |= is_sep[j : j + len(h)]
        h ^= h >> np.uint64(29)
        h = (h * np.uint64(0x9E3779B97F4A7C15) + np.uint64(n)) >> np.uint64(64 - CHAR_BITS - 8)
        keep = ~crosses
        rows_out.append(row_of[: len(h)][keep])
        buckets_out.append((h[keep] & mask).astype(np.int64))
    if not rows_out:  # every text shorter than the shortest n-gram ("0")
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_out), np.concatenate(buckets_out)


def vocabulary_lookup(active: np.ndarray, bits: int) -> np.ndarray:
    """A table from every bucket to its column in `active`, -1 for buckets outside it."""
    table = np.full(1 << bits, -1, dtype=np.int32)
    table[active] = np.arange(len(active), dtype=np.int32)
    return table


def count_active(rows: np.ndarray, buckets: np.ndarray, lookup: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, count) of the hashed n-grams inside a vocabulary (see `vocabulary_lookup`).

    Buckets outside the vocabulary a model learned are dropped before anything
    else, so unknown n-grams neither score nor dilute the TF-IDF norm.
    """
    column = lookup[buckets] if len(buckets) else np.zeros(0, dtype=np.int32)
    known = column >= 0
    size = len(lookup)
    keys, counts = np.unique(rows[known] * size + column[known], return_counts=True)
    return keys // size, keys % size, counts


# The dense features and the second pass's retelling features both ask for a block's
# words and names: each is found once per text (a bounded cache, so a long batch or
# a training run does not grow it). Measured on 300 real pages: median classify time
# 16.8 ms without it, 15.8 ms with it.
_TEXT_CACHE = 4096


@lru_cache(maxsize=_TEXT_CACHE)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(
        w.rstrip("s")
        for w in _WORD.findall(text.lower())
        if len(w) > 3 and w not in STOPWORDS and not w[0].isdigit() and not w.startswith("#")
    )


@lru_cache(maxsize=_TEXT_CACHE)
def _entities(text: str) -> frozenset[str]:
    """Capitalised words not opening a sentence, and numbers: a cheap named-entity proxy."""
    found = set()
    previous = "."
    for token in text.split():
        word = token.strip("\"'“”‘’()[],;:!?.")
        if word and (_DIGIT.search(word) or (_CAPITALISED.match(word) and previous[-1:] not in ".!?:\"“")):
            if word.lower() not in STOPWORDS:
                found.add(word.lower())
        previous = token
    return frozenset(found)


def _share_new(items: frozenset[str], seen: set[str]) -> float:
    if not items:
        return 0.5
    return len(items - seen) / len(items)


def _is_tail_anchor(text: str) -> bool:
    """Tag headers and hashtag lines close a post: what sits before them may be an appendix."""
    stripped = text.strip().lower()
    tokens = text.split()
    hashtags = sum(t.startswith("#") for t in tokens)
    return stripped.rstrip(":") in {"tags", "tag", "tagged", "keywords", "related tags"} or (
        len(tokens) > 0 and hashtags / len(tokens) >= 0.5
    )


def dense_features(blocks: Sequence[Block]) -> np.ndarray:
    """One row of `DENSE_FEATURES` per block; context is the block's post."""
    out = np.zeros((len(blocks), len(DENSE_FEATURES)), dtype=np.float64)
    by_post: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        by_post.setdefault(block.post, []).append(i)
    for members in by_post.values():
        _post_features([blocks[i] for i in members], out, members)
    return out


def _post_features(post: list[Block], out: np.ndarray, rows: list[int]) -> None:
    n = len(post)
    words_of = [_content_words(b.text) for b in post]
    entities_of = [_entities(b.text) for b in post]
    headline = next((words_of[i] for i, b in enumerate(post) if b.kind is BlockKind.HEADING), set())
    anchors = [_is_tail_anchor(b.text) for b in post]
    anchor_after = np.zeros(n, dtype=bool)
    for i in range(n - 2, -1, -1):
        anchor_after[i] = anchor_after[i + 1] or anchors[i + 1]
    names_of = [set(_FULL_NAME.findall(b.text)) for b in post]
    lowered = [_WORD.findall(b.text.lower()) for b in post]
    # the lead: the first two non-heading blocks, which a retelling covers again
    lead_rows = [i for i, b in enumerate(post) if b.kind is not BlockKind.HEADING][:2]
    lead = set().union(*(words_of[i] for i in lead_rows)) if lead_rows else set()
    seen_words: set[str] = set()
    seen_entities: set[str] = set()
    seen_names: set[str] = set()
    for i, block in enumerate(post):
        text = block.text
        tokens = text.split()
        n_words = max(len(tokens), 1)
        words = words_of[i]
        # the last ECHO_WINDOW blocks with words: bounds the work on very long posts
        earlier = [w for w in words_of[max(0, i - ECHO_WINDOW) : i] if w]
        # an earlier block "echoes" here when it holds a fair share of this block's words
        echo_floor = max(2, 0.25 * len(words))
        echoes = sum(len(words & w) >= echo_floor for w in earlier)
        out[rows[i]] = (
            math.log1p(len(tokens)),
            min(len(text) / n_words, 30.0),
            len(_DIGIT.findall(text)) / max(len(text), 1),
            len(_NUMBER_TOKEN.findall(text)) / n_words,
            1.0 if _QUOTES.search(text) else 0.0,
            len(entities_of[i]) / n_words,
            sum(t.startswith("#") for t in tokens) / n_words,
            text.count(",") / n_words,
            1.0 if _LIST_MARKER.match(text) else 0.0,
            1.0 if _SENTENCE_END.search(text[-3:] + " ") else 0.0,
            math.log1p(len(_SENTENCE_END.findall(text + " "))),
            1.0 if block.kind is BlockKind.HEADING else 0.0,
            1.0 if block.kind is BlockKind.LIST_ITEM else 0.0,
            i / (n - 1) if n > 1 else 0.0,
            math.log1p(n - 1 - i),
            _share_new(words, seen_words),
            _share_new(entities_of[i], seen_entities),
            echoes / len(earlier) if earlier else 0.0,
            len(words & headline) / len(headline) if headline and i > 0 else 0.0,
            len(words & lead) / len(lead) if lead and i not in lead_rows else 0.0,
            # news names a person in full once, then by surname; a retelling names them in full again
            len(names_of[i] & seen_names),
            1.0 if anchor_after[i] else 0.0,
            math.log1p(n),
            sum(w in STOCK_COMMENTARY for w in lowered[i]) / n_words,
        )
        seen_words |= words
        seen_entities |= entities_of[i]
        seen_names |= names_of[i]


# What the segmenter's appendix gate knows about a post's proposed filler run
# (computed in `segment.appendix_features`). Six more than the first five
# measured on out-of-fold predictions: held-out filler removed 0.712 -> 0.743,
# seed 001's appended blocks removed 72 -> 76 of 78.
APPENDIX_FEATURES = (
    "run_log_odds_mean",  # mean log-odds filler vs reporting over the run
    "run_log_odds_sum",
    "body_log_odds_mean",  # the same over the blocks kept as reporting: the page's own style level
    "contrast",  # run mean minus body mean: a second telling stands out from the body before it
    "tags_after",  # hashtag/tag blocks close the post
    "run_log_blocks",
    "run_filler_max",  # the run's most certain block: one clear summary paragraph is enough
    "run_filler_share",  # share of the run's blocks more likely filler than not
    "run_first_log_odds",  # where the run starts: a retelling announces itself
    "run_log_odds_median",  # robust to one odd block inside the run
    "body_log_odds_max",  # the body's most filler-like block: a page that sounds generic throughout
)


CONTEXT_FEATURES: tuple[str, ...] = tuple(
    f"{where}_{label}"
    for where in ("self", "previous", "next", "mean_before", "mean_after")
    for label in ("reporting", "filler", "hashtag_spam", "boilerplate")
) + ("filler_contrast",)


def context_features(blocks: Sequence[Block], probabilities: np.ndarray) -> np.ndarray:
    """A block's first-pass probabilities beside its neighbours' and the rest of its post's.

    What comes after a block says much about it: a paragraph followed by
    generic text and a tag list is likelier an appendix than one followed by
    more reporting. One row of `CONTEXT_FEATURES` per block.
    """
    out = np.zeros((len(blocks), len(CONTEXT_FEATURES)))
    log_p = np.log(probabilities + 1e-6)
    for post in post_slices(blocks):
        start, end = post.start, post.stop
        post_log_p, post_p = log_p[start:end], probabilities[start:end]
        n = end - start
        cumulative = np.cumsum(post_p, axis=0)
        total = cumulative[-1]
        # filler log-odds against the post's opening third: a second telling stands
        # out from the body above it, even when the body is a machine rewrite too
        log_odds = post_log_p[:, 1] - post_log_p[:, 0]
        contrast = log_odds - log_odds[: max(1, n // 3)].mean()
        # At either end of a post a block stands in for its missing neighbours:
        # "nothing follows" is no evidence either way, and as a special value the
        # second pass learned it as "reporting" (composed appendices mostly end in
        # tags), keeping closing paragraphs that no tags follow.
        for i in range(n):
            before = cumulative[i - 1] / i if i else post_p[i]
            after = (total - cumulative[i]) / (n - 1 - i) if i < n - 1 else post_p[i]
            out[start + i] = np.concatenate(
                [
                    post_log_p[i],
                    post_log_p[i - 1] if i else post_log_p[i],
                    post_log_p[i + 1] if i < n - 1 else post_log_p[i],
                    before,
                    after,
                    [contrast[i]],
                ]
            )
    return out


# What a second telling looks like from where it starts: the rest of its post says
# again what came before. Per block, over its post's prose (blocks of ten words or
# more; tags and chrome say little): the share of the content words (then of the
# entities) from this block to the post's end that were already seen before it,
# and the share of those seen before that come back. In a body each paragraph
# brings new words, so from the middle of a body on much is new; from the start of
# an appended summary on nearly everything was seen. Measured side by side (same
# first pass, second pass without early stopping): held-out reporting kept 0.980
# -> 0.983, filler removed 0.752 -> 0.770, real HTML gold kept 97.9% -> 98.2%, both
# seeds unchanged; the cost: a few short clean pages lose their closing paragraphs
# (clean pages' mean share kept 0.996 -> 0.993).
RETELLING_FEATURES = ("rest_words_seen", "earlier_words_recalled", "rest_entities_seen", "earlier_entities_recalled")
_PROSE_WORDS = 10


def retelling_features(blocks: Sequence[Block]) -> np.ndarray:
    """One row of `RETELLING_FEATURES` per block; context is the block's post."""
    out = np.zeros((len(blocks), len(RETELLING_FEATURES)))
    for post in post_slices(blocks):
        prose = [b.text if len(b.text.split()) >= _PROSE_WORDS else "" for b in blocks[post]]
        out[post, 0], out[post, 1] = _seen_and_recalled([_content_words(text) for text in prose])
        out[post, 2], out[post, 3] = _seen_and_recalled([_entities(text) for text in prose])
    return out


def _seen_and_recalled(sets: list[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For each position i: the share of the items from i on that occur before i, and
    the share of the items before i that occur again from i on (0 when none)."""
    n = len(sets)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, items in enumerate(sets):
        for item in items:
            first.setdefault(item, i)
            last[item] = i
    # an item is seen before i and again from i on when first < i <= last
    before = np.r_[0, np.bincount(list(first.values()), minlength=n).cumsum()[:-1]]  # first < i
    gone = np.r_[0, np.bincount(list(last.values()), minlength=n).cumsum()[:-1]]  # last < i
    spanning = before - gone
    rest = len(first) - gone  # last >= i
    return spanning / np.maximum(rest, 1), spanning / np.maximum(before, 1)


def post_slices(blocks: Sequence[Block]) -> list[slice]:
    """Each post's rows, in page order (posts are contiguous runs of one post id)."""
    slices = []
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and blocks[end].post == blocks[start].post:
            end += 1
        slices.append(slice(start, end))
        start = end
    return slices


# The second pass sees a block's context and, beside it, its own dense features:
# boosted trees can then ask "a list item, after the body, before tags?" at once.
# Not where in its post a block sits, nor how long the post is: trees learn those
# as habits of the composed pages (bodies cut at 30 paragraphs, clean pages at 40),
# and on seed 001's long live blogs that kept 26 of 78 appended blocks, not 16.
POSITION_FEATURES = frozenset({"relative_position", "blocks_to_end", "post_blocks"})
SECOND_PASS_DENSE = tuple(name for name in DENSE_FEATURES if name not in POSITION_FEATURES)
SECOND_PASS_FEATURES: tuple[str, ...] = CONTEXT_FEATURES + SECOND_PASS_DENSE + RETELLING_FEATURES
_SECOND_PASS_COLUMNS = [DENSE_FEATURES.index(name) for name in SECOND_PASS_DENSE]


def second_pass_features(blocks: Sequence[Block], probabilities: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """One row of `SECOND_PASS_FEATURES` per block; `dense` holds all `DENSE_FEATURES`."""
    return np.hstack(
        [context_features(blocks, probabilities), dense[:, _SECOND_PASS_COLUMNS], retelling_features(blocks)]
    )
