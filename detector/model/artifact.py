"""Model files: save, find (by name in the shipped `models/`, or by path) and load.

A model file is a joblib dump of plain dicts of numpy arrays and a card (no class
references, so files keep loading when code moves); loading never imports
scikit-learn, and checks the card first (`card.check_card`).
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from importlib import resources
from pathlib import Path

import joblib

from detector.errors import ModelError
from detector.files import atomic_path, write_text_atomic
from detector.segmenter import AppendixGate, Segmenter

from .card import check_card
from .scorer import HashedTfidf, Model
from .trees import ContextLayer

DEFAULT_MODEL = "default"


def _arrays(model: Model) -> dict:
    def tfidf(t: HashedTfidf) -> dict:
        return {"bits": t.bits, "buckets": t.buckets, "idf": t.idf, "coef": t.coef}

    seg = model.segmenter
    return {
        "words": tfidf(model.words),
        "chars": tfidf(model.chars),
        "dense_mean": model.dense_mean,
        "dense_scale": model.dense_scale,
        "dense_coef": model.dense_coef,
        "intercept": model.intercept,
        "temperature": model.temperature,
        "context": {f.name: getattr(model.context, f.name) for f in fields(ContextLayer)},
        "segmenter": {
            "start": seg.start,
            "transitions": seg.transitions,
            "appendix_coef": seg.gate.coef,
            "appendix_intercept": seg.gate.intercept,
            "appendix_threshold": seg.gate.threshold,
        },
    }


def save_model(model: Model, path: str | os.PathLike) -> Path:
    """Write the model atomically, and its card beside it as JSON."""
    path = Path(path)
    with atomic_path(path) as tmp:
        joblib.dump({"card": model.card, "arrays": _arrays(model)}, tmp, compress=3)
    write_text_atomic(card_path_for(path), json.dumps(model.card, indent=2, sort_keys=True) + "\n")
    return path


def card_path_for(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".joblib") + ".card.json")


def model_dir() -> Path:
    """Where named models ship: `models/` at the repository root, or inside the installed package."""
    packaged = resources.files("detector") / "models"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "models"


def available_models() -> list[str]:
    return sorted(p.name.removesuffix(".joblib") for p in model_dir().glob("*.joblib"))


def resolve_model_path(name_or_path: str | os.PathLike | None) -> Path:
    """A model name, looked up among the shipped models, then in ./models/ (`--model tiny`
    finds ./models/tiny.joblib); or a path, for a Path object or text that looks like one
    (a folder separator or the .joblib suffix). A file or folder called `default` in the
    working directory is not the default model. Unknown names list the choices."""
    name = os.fspath(name_or_path if name_or_path is not None else DEFAULT_MODEL)
    if isinstance(name_or_path, os.PathLike) or name.endswith(".joblib") or os.sep in name or "/" in name:
        candidate = Path(name)
        if not candidate.is_file():
            raise ModelError(f"model file {candidate} does not exist")
        return candidate
    folders = [model_dir(), Path("models")]
    for folder in folders:
        if (folder / f"{name}.joblib").is_file():
            return folder / f"{name}.joblib"
    choices = sorted({p.name.removesuffix(".joblib") for f in folders for p in f.glob("*.joblib")})
    raise ModelError(f"unknown model {name!r}; available models: {', '.join(choices) or 'none installed'} "
                     f"(shipped, or in ./models/); a model file's path needs a folder or the .joblib suffix")


def load_model(name_or_path: str | os.PathLike | None = None) -> Model:
    """Load a named or a file model, refusing one whose card does not match this version."""
    path = resolve_model_path(name_or_path)
    try:
        stored = joblib.load(path)
        card, arrays = stored["card"], stored["arrays"]
    except Exception as exc:  # a corrupt or foreign file: joblib raises many kinds
        raise ModelError(f"{path}: not a detector model ({type(exc).__name__}: {exc})") from exc
    check_card(card, path)
    return _model_from(arrays, card)


def _model_from(arrays: dict, card: dict) -> Model:
    seg = arrays["segmenter"]
    return Model(
        words=HashedTfidf(**arrays["words"]),
        chars=HashedTfidf(**arrays["chars"]),
        dense_mean=arrays["dense_mean"],
        dense_scale=arrays["dense_scale"],
        dense_coef=arrays["dense_coef"],
        intercept=arrays["intercept"],
        temperature=float(arrays["temperature"]),
        context=ContextLayer(**arrays["context"]),
        segmenter=Segmenter(
            start=seg["start"],
            transitions=seg["transitions"],
            gate=AppendixGate(
                coef=seg["appendix_coef"],
                intercept=float(seg["appendix_intercept"]),
                threshold=float(seg["appendix_threshold"]),
            ),
        ),
        card=card,
    )
