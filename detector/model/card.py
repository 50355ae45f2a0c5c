"""A model's card: what it was trained on and with, checked before a model is used.

The card is a dict inside the model file, also written beside it as
`<name>.card.json`. Its format, label set, feature names and hashing sizes must
match this detector's, or the model is refused with a message (never half-loaded).
The rest (library versions, training settings, data sources, figures) is built by
`detector.training.card` when a model is trained.
"""

from __future__ import annotations

from pathlib import Path

from detector.errors import ModelError
from detector.features import CHAR_BITS, DENSE_FEATURES, SECOND_PASS_FEATURES, WORD_BITS
from detector.features.embeddings import shipped_table_sha256
from detector.segmenter import APPENDIX_FEATURES
from detector.types import LABELS

# Bumped whenever the arrays a model file holds change meaning. A model of
# another format is refused with a message, never half-loaded.
MODEL_FORMAT = 4


def compatibility_fields() -> dict:
    """The card fields a model must share with this detector to be used by it."""
    return {
        "format": MODEL_FORMAT,
        "labels": [str(label) for label in LABELS],
        "dense_features": list(DENSE_FEATURES),
        "second_pass_features": list(SECOND_PASS_FEATURES),
        "appendix_features": list(APPENDIX_FEATURES),
        "word_bits": WORD_BITS,
        "char_bits": CHAR_BITS,
        # the semantic features' vectors: another table gives other values to the same names
        "embedding_table_sha256": shipped_table_sha256(),
    }


def check_card(card: dict, path: Path) -> None:
    """Refuse, with a message naming the file, a model this detector cannot use."""
    fmt = card.get("format")
    if fmt != MODEL_FORMAT:
        raise ModelError(
            f"{path}: model format {fmt!r} is not supported by this detector (it reads format "
            f"{MODEL_FORMAT}); retrain it with `detector train` (model trained with "
            f"scikit-learn {card.get('versions', {}).get('scikit-learn', '?')})"
        )
    if tuple(card.get("labels", ())) != tuple(str(label) for label in LABELS):
        raise ModelError(f"{path}: model labels {card.get('labels')} differ from {[str(x) for x in LABELS]}")
    features = (card.get("dense_features"), card.get("second_pass_features"), card.get("appendix_features"))
    if tuple(map(tuple, (f or () for f in features))) != (DENSE_FEATURES, SECOND_PASS_FEATURES, APPENDIX_FEATURES):
        raise ModelError(f"{path}: model was trained on other features; retrain it with `detector train`")
    if card.get("word_bits") != WORD_BITS or card.get("char_bits") != CHAR_BITS:
        raise ModelError(f"{path}: model was trained with other hashing sizes; retrain it with `detector train`")
    if card.get("embedding_table_sha256") != shipped_table_sha256():
        raise ModelError(f"{path}: model was trained with another embedding table (models/embeddings.npz); "
                         "retrain it with `detector train`")
