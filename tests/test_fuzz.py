"""Property-based fuzzing of the whole pipeline over random HTML, text and bytes.

Invariants, whatever the input:
- only DetectorError subclasses escape (documented errors), never anything else;
- every block is one the extractor produced, in order, so the clean text is a
  subsequence of the input's blocks;
- labels come from the label set, probabilities are a distribution;
- segments are valid: within a post, the body comes first and the appendix
  starts right after the last reporting block.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector import Detector, InputError, Options
from detector.extraction import extract_blocks
from detector.reading import decode_page
from detector.types import LABELS, Label, PageResult, Segment

from .conftest import tiny_pages

_TAGS = ["p", "div", "span", "br", "h1", "h2", "li", "ul", "article", "section", "nav", "footer", "a", "b",
         "table", "tr", "td", "blockquote", "script", "style", "title", "head", "body", "html", "meta", "!--"]
_WORDS = ["council", "approved", "million", "Share", "Read more", "#news", "#tags", "Tags:", "the", "said",
          "Kelby", "2027", "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600", "&amp;", "&nbsp;", "&#0;", "\x00", "\u2029",
          "<", ">", "\"", "'", "=", "\n", "\t", " "]

_word = st.sampled_from(_WORDS) | st.text(max_size=12)
_sentence = st.lists(_word, max_size=30).map(" ".join)


@st.composite
def _html_fragment(draw, depth: int = 0):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 3 if depth < 4 else 1))
        if choice <= 1:
            parts.append(draw(_sentence))
        else:
            tag = draw(st.sampled_from(_TAGS))
            attrs = draw(st.sampled_from(["", ' class="post"', ' class="comment"', " id=x", ' charset="latin-1"']))
            inner = draw(_html_fragment(depth + 1))
            close = draw(st.booleans())  # unclosed tags too
            parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


_html_page = st.builds(lambda head, body: f"<html><head><title>{head}</title></head><body>{body}</body></html>",
                       _sentence, _html_fragment())
_text_page = st.lists(_sentence | st.sampled_from(["", "  • bullet item", "1. numbered", "    indented body"]),
                      max_size=20).map("\n".join)
_page = st.one_of(
    _html_page,
    _html_fragment(),
    _text_page,
    st.text(max_size=500),
    st.binary(max_size=500),
    _html_page.map(lambda s: s.encode("utf-8")),
    _html_page.map(lambda s: s.encode("utf-16")),
    _text_page.map(lambda s: s.encode("cp1252", errors="replace")),
)


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    from detector.model import save_model
    from detector.training.train import train_model

    path = save_model(train_model(tiny_pages(), folds=0, min_df=1).model, tmp_path_factory.mktemp("fuzz") / "m.npz")
    return Detector(path, Options(timeout=10))


# derandomize: the same 150 inputs on every run, so a failure is reproducible and a
# pass is not luck of the draw
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=_page)
def test_pipeline_invariants_hold_on_random_input(detector, page):
    try:
        result = detector.clean(page, "fuzz")
    except InputError as exc:
        # a documented error (anything else fails the test), naming the input and a reason
        assert exc.source == "fuzz" and exc.reason and str(exc).startswith("fuzz: ")
        return
    assert isinstance(result, PageResult) and result.source == "fuzz"

    # the blocks are exactly the extracted blocks, in order
    expected = extract_blocks(decode_page(page, "fuzz"))
    assert [r.block for r in result.blocks] == expected
    kept = [r.block.text for r in result.blocks if r.kept]
    assert result.text == "\n\n".join(kept)
    assert _is_subsequence(kept, [b.text for b in expected])

    posts: dict[int, list] = {}
    for r in result.blocks:
        assert r.label in LABELS
        assert set(r.probabilities) == {str(label) for label in LABELS}
        assert all(0.0 <= p <= 1.0 and not math.isnan(p) for p in r.probabilities.values())
        assert math.isclose(sum(r.probabilities.values()), 1.0, abs_tol=1e-3)  # rounded to 4 places
        assert r.segment in (Segment.BODY, Segment.APPENDIX)
        assert (r.reason is None) == (r.label is Label.REPORTING)
        posts.setdefault(r.block.post, []).append(r)
    for rows in posts.values():
        segments = [r.segment for r in rows]
        assert segments == sorted(segments, key=lambda s: s is Segment.APPENDIX), "body after appendix"
        reporting = [i for i, r in enumerate(rows) if r.label is Label.REPORTING]
        first_appendix = reporting[-1] + 1 if reporting else 0
        assert all(r.segment is Segment.APPENDIX for r in rows[first_appendix:])
        assert all(r.segment is Segment.BODY for r in rows[:first_appendix])


def _is_subsequence(items: list[str], sequence: list[str]) -> bool:
    remaining = iter(sequence)
    return all(any(item == candidate for candidate in remaining) for item in items)


def test_probabilities_of_the_model_are_a_distribution(detector):
    """The unrounded model output, on blocks from every fixture-like page."""
    import numpy as np

    blocks = [b for p in tiny_pages(5) for b in p.blocks]
    probabilities = detector.model.predict_proba(blocks)
    assert probabilities.shape == (len(blocks), len(LABELS))
    assert np.allclose(probabilities.sum(axis=1), 1.0) and (probabilities >= 0).all()
