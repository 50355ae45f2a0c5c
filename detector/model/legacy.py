"""The joblib model files of earlier versions, read once to convert them to `.npz`.

A joblib file is a pickle: reading one runs whatever code it was made to run. So
nothing that cleans pages reads one; only `detector convert --trusted` calls this,
on a file its user vouches for. joblib is imported here alone, and comes with the
`train` extra, not with the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from detector.errors import ModelError

from .artifact import MODEL_SUFFIX, model_from_arrays, save_model
from .scorer import Model


def read_trusted_joblib_model(path: str | os.PathLike) -> Model:
    """Unpickle a joblib model file (`{"card": ..., "arrays": ...}`). Runs any code it holds."""
    try:
        import joblib
    except ImportError as exc:
        raise ModelError(f"converting a joblib model needs joblib: pip install 'detector[train]' ({exc})") from exc
    try:
        stored = joblib.load(path)
        return model_from_arrays(stored["arrays"], stored["card"])
    except Exception as exc:  # a corrupt or foreign file: unpickling raises many kinds
        raise ModelError(f"{path}: not a detector joblib model ({type(exc).__name__}: {exc})") from exc


def convert_trusted_joblib_model(path: str | os.PathLike, output: str | os.PathLike | None = None) -> Path:
    """Write the `.npz` model (and its card) of a trusted joblib model; by default beside it."""
    path = Path(path)
    return save_model(read_trusted_joblib_model(path), output or path.with_suffix(MODEL_SUFFIX))
