"""The public API is what `__all__` lists; changing it is a conscious act."""

import detector


def test_public_api_is_pinned():
    assert sorted(detector.__all__) == [
        "Block",
        "BlockKind",
        "BlockResult",
        "DataError",
        "Detector",
        "DetectorError",
        "InputError",
        "Label",
        "Model",
        "ModelError",
        "Options",
        "PageResult",
        "PageTimeout",
        "Segment",
        "available_models",
        "clean",
        "load_model",
    ]
    for name in detector.__all__:
        assert hasattr(detector, name), name


def test_errors_form_one_tree():
    for error in (detector.InputError, detector.PageTimeout, detector.ModelError, detector.DataError):
        assert issubclass(error, detector.DetectorError)
    assert issubclass(detector.PageTimeout, detector.InputError)


def test_cleaning_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = "import sys, detector; detector.Detector().clean('A line of text.'); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_options_refuse_a_negative_caution():
    import pytest

    with pytest.raises(ValueError, match="caution"):
        detector.Options(caution=-1.0)
    assert detector.Options(caution=4.0).caution == 4.0


def test_the_blocks_of_a_post_must_be_contiguous(tmp_path):
    """One post grouping for every stage: a post id that comes back after another post
    began is refused (features, segmenter and training would otherwise disagree on it)."""
    import json

    import pytest

    from detector.training.dataset import read_pages
    from detector.types import post_slices

    scattered = [detector.Block("a", post=0), detector.Block("b", post=1), detector.Block("c", post=0)]
    assert post_slices([detector.Block("a"), detector.Block("b"), detector.Block("c", post=1)]) == [slice(0, 2), slice(2, 3)]
    with pytest.raises(ValueError, match="post 0, which began at block 0.*contiguous"):
        post_slices(scattered)
    with pytest.raises(detector.InputError) as caught:
        detector.Detector().label(scattered, "mine")
    assert caught.value.source == "mine" and "contiguous" in caught.value.reason
    page = {"id": "p", "blocks": [{"text": b.text, "post": b.post, "label": "reporting"} for b in scattered]}
    (tmp_path / "pages.jsonl").write_text(json.dumps(page) + "\n")
    with pytest.raises(detector.DataError, match="pages.jsonl:1: not a labelled page"):
        list(read_pages(tmp_path / "pages.jsonl"))
