"""Pages the English-trained model cannot read are passed through, and say so."""

from __future__ import annotations

import json

import numpy as np
import pytest

from detector import Detector
from detector.features.language import MIN_ENGLISH_SHARE, english_share, unreadable_reason
from detector.types import LABELS, Block, BlockKind, Label
from detector.segmenter import label_blocks, pass_through
from detector.types import Segment

# Written for these tests: a short Italian local news story, and an English one.
ITALIAN = [
    "Il consiglio comunale ha approvato lunedì sera il nuovo piano per le barriere contro le piene del fiume.",
    "I lavori partiranno in primavera e costeranno circa tre milioni di euro, secondo l'assessore ai lavori pubblici.",
    "Negli ultimi due inverni l'acqua ha raggiunto la piazza principale, allagando negozi e cantine.",
    "Leggi anche: tutte le notizie della provincia",
]
ENGLISH = [
    "The county council voted on Tuesday to spend 3.1 million dollars on new flood barriers along the river.",
    "Work is due to start in the spring, the council's head of public works said at the meeting.",
]


def test_english_share_tells_english_from_italian_and_japanese():
    assert english_share(ENGLISH)[0] > 0.2
    assert english_share(ITALIAN)[0] < MIN_ENGLISH_SHARE
    assert english_share(["東京都は月曜日、新しい防潮堤の建設計画を発表した。工事は春に始まる予定だ。"] * 30)[0] == 0.0


def test_a_short_page_says_nothing_either_way():
    assert unreadable_reason(["Leggi anche", "Condividi"]) is None
    assert unreadable_reason(ENGLISH) is None
    assert "not read as English" in unreadable_reason(ITALIAN)


def test_a_page_in_another_language_keeps_its_filler_and_boilerplate():
    blocks = [Block(text, BlockKind.PARAGRAPH, i, 0) for i, text in enumerate(ITALIAN)]
    # whatever the model thinks of them: every block filler or boilerplate
    probabilities = np.tile([0.05, 0.5, 0.05, 0.4], (len(blocks), 1))
    results = label_blocks(blocks, probabilities, Detector().model.segmenter)
    passed = pass_through(results)
    assert all(r.kept and r.reason is None and r.segment is Segment.BODY for r in passed)
    assert [r.probabilities for r in passed] == [r.probabilities for r in results]  # what the model said stays


def test_tag_lists_are_dropped_in_any_language():
    block = Block("#Roma #fiume #piena #notizie #cronaca", BlockKind.PARAGRAPH, 0, 0)
    probabilities = np.array([[0.01, 0.01, 0.97, 0.01]])
    assert LABELS[2] is Label.HASHTAG_SPAM
    results = label_blocks([block], probabilities, Detector().model.segmenter)
    assert pass_through(results)[0].label is Label.HASHTAG_SPAM


@pytest.mark.parametrize("lines, passed", [(ITALIAN, True), (ENGLISH * 3, False)])
def test_the_result_says_when_a_page_was_passed_through(lines, passed):
    result = Detector().clean("\n\n".join(lines), "story.txt")
    assert (result.passed_through is not None) is passed
    assert json.loads(json.dumps(result.to_dict()))["passed_through"] == result.passed_through
    if passed:
        assert [r.block.text for r in result.blocks if not r.kept] == []


def test_the_cli_counts_passed_through_pages(tmp_path):
    from click.testing import CliRunner

    from detector.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "storia.txt").write_text("\n\n".join(ITALIAN), encoding="utf-8")
    (tmp_path / "in" / "story.txt").write_text("\n\n".join(ENGLISH * 3), encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 page(s) were passed through, not read as English" in result.stderr
    italian = json.loads((tmp_path / "out" / "storia.json").read_text(encoding="utf-8"))
    assert italian["passed_through"].startswith("not read as English")
    assert json.loads((tmp_path / "out" / "story.json").read_text(encoding="utf-8"))["passed_through"] is None
