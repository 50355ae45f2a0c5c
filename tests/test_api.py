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
