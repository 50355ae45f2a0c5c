"""The segmenter on hand-built probabilities: sequence decoding and the appendix gate."""

from dataclasses import replace

import numpy as np

from detector.segmenter import AppendixGate, Segmenter
from detector.segmenter import APPENDIX_FEATURES
from detector.segmenter import label_blocks, viterbi
from detector.types import LABELS, Block, Label, Segment

R, F, H, B = (LABELS.index(x) for x in (Label.REPORTING, Label.FILLER, Label.HASHTAG_SPAM, Label.BOILERPLATE))


def _segmenter(gate: float | None = None) -> Segmenter:
    """With a gate, a post needs a run whose summed log-odds reach `gate`; without, every run passes."""
    # filler never returns to reporting inside a post; everything else is open
    transitions = np.full((4, 4), 0.25)
    transitions[F] = [0.001, 0.8, 0.15, 0.049]
    return Segmenter(
        start=np.log(np.array([0.7, 0.1, 0.05, 0.15])),
        transitions=np.log(transitions / transitions.sum(axis=1, keepdims=True)),
        gate=AppendixGate(
            coef=np.array([float(name == "run_log_odds_sum" and gate is not None) for name in APPENDIX_FEATURES]),
            intercept=0.0,
            threshold=gate or 0.0,
        ),
    )


def _probs(*rows):
    return np.array(rows, dtype=float)


def _label_one_post(probs: np.ndarray, segmenter: Segmenter):
    """label_blocks on one post of placeholder blocks, one per row of `probs`."""
    blocks = [Block(f"b{i}", index=i) for i in range(len(probs))]
    return label_blocks(blocks, probs, segmenter)


def test_viterbi_follows_strong_emissions():
    emissions = np.log(_probs([0.9, 0.05, 0.03, 0.02], [0.1, 0.8, 0.05, 0.05], [0.02, 0.03, 0.9, 0.05]))
    path = viterbi(emissions, np.log(np.full(4, 0.25)), np.log(np.full((4, 4), 0.25)))
    assert path.tolist() == [R, F, H]


def test_sequence_pulls_a_doubtful_block_into_the_appendix():
    probs = _probs(
        [0.9, 0.05, 0.03, 0.02],
        [0.85, 0.1, 0.03, 0.02],
        [0.1, 0.85, 0.03, 0.02],
        [0.45, 0.5, 0.03, 0.02],  # doubtful, but between filler blocks
        [0.05, 0.9, 0.03, 0.02],
    )
    results = _label_one_post(probs, _segmenter())
    assert [r.label for r in results] == [Label.REPORTING, Label.REPORTING, Label.FILLER, Label.FILLER, Label.FILLER]
    assert [r.segment for r in results] == [Segment.BODY, Segment.BODY, Segment.APPENDIX, Segment.APPENDIX, Segment.APPENDIX]
    assert results[0].reason is None and "filler" in results[2].reason


def test_gate_keeps_a_post_whole_when_the_appendix_evidence_is_weak():
    probs = _probs([0.9, 0.05, 0.03, 0.02], [0.9, 0.05, 0.03, 0.02], [0.4, 0.55, 0.03, 0.02])
    weak = _label_one_post(probs, _segmenter(gate=2.0))
    assert all(r.label is Label.REPORTING for r in weak)
    strict = _label_one_post(probs, _segmenter())
    assert strict[-1].label is Label.FILLER


def test_posts_are_decoded_separately():
    blocks = [Block("a", index=0, post=0), Block("b", index=1, post=0), Block("c", index=2, post=1)]
    probs = _probs([0.9, 0.05, 0.03, 0.02], [0.1, 0.85, 0.03, 0.02], [0.8, 0.15, 0.03, 0.02])
    results = label_blocks(blocks, probs, _segmenter())
    assert [r.label for r in results] == [Label.REPORTING, Label.FILLER, Label.REPORTING]
    assert results[2].segment is Segment.BODY


def test_filler_inside_the_body_stays_reporting():
    # a list in the middle of a how-to article scores filler, but reporting follows it
    probs = _probs(
        [0.9, 0.05, 0.03, 0.02],
        [0.05, 0.9, 0.03, 0.02],
        [0.05, 0.9, 0.03, 0.02],
        [0.9, 0.05, 0.03, 0.02],
        [0.02, 0.03, 0.9, 0.05],
    )
    # transitions that let Viterbi return from filler to reporting
    open_transitions = replace(_segmenter(), transitions=np.log(np.full((4, 4), 0.25)))
    results = _label_one_post(probs, open_transitions)
    assert [r.label for r in results] == [Label.REPORTING] * 4 + [Label.HASHTAG_SPAM]


def test_a_tag_list_after_filler_closes_the_section():
    # a missed post boundary: the next post's first paragraph follows the appendix's tags
    report, fill, tags = [0.9, 0.05, 0.03, 0.02], [0.05, 0.9, 0.03, 0.02], [0.02, 0.03, 0.9, 0.05]
    open_transitions = replace(_segmenter(), transitions=np.log(np.full((4, 4), 0.25)))
    results = _label_one_post(_probs(report, fill, tags, report), open_transitions)
    assert [r.label for r in results] == [Label.REPORTING, Label.FILLER, Label.HASHTAG_SPAM, Label.REPORTING]
    assert [r.segment for r in results] == [Segment.BODY, Segment.APPENDIX, Segment.APPENDIX, Segment.BODY]
    # filler with no separator before it sits inside the body, whatever follows
    results = _label_one_post(_probs(report, fill, report, tags), open_transitions)
    assert [r.label for r in results] == [Label.REPORTING] * 3 + [Label.HASHTAG_SPAM]


def test_an_aside_between_a_link_line_and_the_next_lede_is_filler():
    report, fill, chrome = [0.9, 0.05, 0.03, 0.02], [0.05, 0.9, 0.03, 0.02], [0.02, 0.03, 0.05, 0.9]
    open_transitions = replace(_segmenter(), transitions=np.log(np.full((4, 4), 0.25)))
    results = _label_one_post(_probs(report, chrome, fill, fill, report, chrome), open_transitions)
    assert [r.label for r in results] == [
        Label.REPORTING, Label.BOILERPLATE, Label.FILLER, Label.FILLER, Label.REPORTING, Label.BOILERPLATE,
    ]
    assert [r.segment for r in results][2:5] == [Segment.APPENDIX, Segment.APPENDIX, Segment.BODY]


def test_an_appendix_running_into_an_unrelated_story_stays_filler():
    # a missed post boundary with no separator: the next post's lede shares no words with the story
    report, fill = [0.9, 0.05, 0.03, 0.02], [0.05, 0.9, 0.03, 0.02]
    story = ("The council approved the flood barriers for the riverside district on Tuesday, "
             "after engineers said the river walls would fail within a decade.")
    summary = "In a recent development, the council has approved new barriers. Stay tuned for more updates."
    continued = ("Engineers said the barriers along the riverside district would be installed over "
                 "eighteen months, and the council will fund the river walls from its flood budget.")
    unrelated = ("Marathon organisers in Lisbon expect forty thousand runners this spring, a record "
                 "entry that has forced police to close bridges and tram lines across the city.")
    open_transitions = replace(_segmenter(), transitions=np.log(np.full((4, 4), 0.25)))

    def labels(*texts):
        blocks = [Block(text, index=i) for i, text in enumerate(texts)]
        return [r.label for r in label_blocks(blocks, _probs(report, fill, report), open_transitions)]

    assert labels(story, summary, unrelated) == [Label.REPORTING, Label.FILLER, Label.REPORTING]
    # the story goes on after the filler-like block: it sits inside the body
    assert labels(story, summary, continued) == [Label.REPORTING] * 3

    # short lines (related-story links read as reporting) are read on until there are words enough
    def labels_before_links(*links):
        blocks = [Block(text, index=i) for i, text in enumerate((story, summary, *links))]
        probs = _probs(report, fill, *[report] * len(links))
        return [r.label for r in label_blocks(blocks, probs, open_transitions)][:2]

    links = ("Lisbon marathon expects record entry", "Tram lines closed across the city", "Ferry strike enters third week")
    assert labels_before_links(*links) == [Label.REPORTING, Label.FILLER]
    assert labels_before_links(links[0]) == [Label.REPORTING] * 2  # too few words to judge by


def test_a_certain_tag_list_stays_one_wherever_it_stands():
    # a keyword line that post splitting put first in a post: the start probabilities
    # (tags open a post one time in twenty) outvote p 0.9 in Viterbi alone
    probs = _probs([0.1, 0.0, 0.9, 0.0], [0.9, 0.05, 0.03, 0.02])
    assert viterbi(np.log(probs + 1e-9), _segmenter().start, _segmenter().transitions)[0] == R
    assert [r.label for r in _label_one_post(probs, _segmenter())] == [Label.HASHTAG_SPAM, Label.REPORTING]


def test_a_certain_aside_between_two_stories_is_filler_though_viterbi_calls_it_reporting():
    # filler rarely returns to reporting inside a post, so Viterbi alone keeps the aside reporting
    report, aside, chrome = [0.9, 0.05, 0.03, 0.02], [0.15, 0.85, 0.0, 0.0], [0.02, 0.03, 0.05, 0.9]
    probs = _probs(report, aside, report, chrome)
    segmenter = _segmenter()
    assert viterbi(np.log(probs + 1e-9), segmenter.start, segmenter.transitions)[1] == R
    story = "The council approved the flood barriers for the riverside district after engineers warned of failure."
    text = ("A record forty thousand runners are expected at the Lisbon marathon, organisers said on Monday, "
            "and police will close bridges and tram lines across the city.")
    blocks = [Block(t, index=i) for i, t in enumerate((story, "Meanwhile, observers note broader concerns.", text, "Read more"))]
    assert [r.label for r in label_blocks(blocks, probs, segmenter)][:3] == [Label.REPORTING, Label.FILLER, Label.REPORTING]


def test_caution_spares_untagged_posts_only():
    report, fill, tags = [0.9, 0.05, 0.03, 0.02], [0.1, 0.85, 0.03, 0.02], [0.02, 0.03, 0.9, 0.05]
    segmenter = _segmenter(gate=2.0)  # the appendix below sums to 2 * log(8.5) = 4.3: it passes
    untagged, tagged = _probs(report, report, fill, fill), _probs(report, report, fill, fill, tags)
    blocks = [Block(f"b{i}", index=i) for i in range(5)]

    def labels(probs, caution):
        return [r.label for r in label_blocks(blocks[: len(probs)], probs, segmenter, caution)]

    assert labels(untagged, 0.0)[-1] is Label.FILLER
    assert labels(untagged, 2.0)[-1] is Label.FILLER  # 4.3 still reaches 2 + 2
    assert labels(untagged, 3.0) == [Label.REPORTING] * 4  # but not 2 + 3
    # tags closing the post are the autoblog signature: caution does not apply
    assert labels(tagged, 3.0) == [Label.REPORTING] * 2 + [Label.FILLER] * 2 + [Label.HASHTAG_SPAM]


def test_a_filler_prior_tips_a_doubtful_closing_block_into_the_appendix():
    from detector.training.segmenter import with_filler_prior

    probs = _probs([0.95, 0.02, 0.02, 0.01], [0.95, 0.02, 0.02, 0.01], [0.6, 0.35, 0.03, 0.02])
    plain = [r.label for r in _label_one_post(probs, _segmenter())]
    tipped = [r.label for r in _label_one_post(probs, with_filler_prior(_segmenter(), 1.0))]
    assert plain == [Label.REPORTING] * 3
    assert tipped == [Label.REPORTING, Label.REPORTING, Label.FILLER]
    # the prior moves only the filler label's start and incoming transitions
    shifted = with_filler_prior(_segmenter(), 1.0)
    np.testing.assert_allclose(shifted.transitions[:, F] - _segmenter().transitions[:, F], 1.0)
    np.testing.assert_allclose(np.delete(shifted.transitions, F, axis=1), np.delete(_segmenter().transitions, F, axis=1))
