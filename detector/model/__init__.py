"""The shipped model: first-pass scorer, compiled trees, segmenter parameters and a card,
numpy only.

    scorer.py    Model: the first pass (hashed TF-IDF + dense features) and the whole scoring
    trees.py     ContextLayer: the second pass's boosted trees as flat arrays
    card.py      what a model must share with this detector; refusing one that does not
    artifact.py  model files (.npz, no code in them): save, find by name or path, load
    legacy.py    the joblib files of earlier versions, converted once when trusted (not imported here)
"""

from .artifact import (
    DEFAULT_MODEL, MODEL_SUFFIX, available_models, card_path_for, load_model, model_dir, resolve_model_path, save_model,
)
from .card import MODEL_FORMAT, check_card, compatibility_fields
from .scorer import HashedTfidf, Model
from .trees import ContextLayer, softmax

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_FORMAT",
    "MODEL_SUFFIX",
    "ContextLayer",
    "HashedTfidf",
    "Model",
    "available_models",
    "card_path_for",
    "check_card",
    "compatibility_fields",
    "load_model",
    "model_dir",
    "resolve_model_path",
    "save_model",
    "softmax",
]
