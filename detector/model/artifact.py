"""Model files: save, find (by name in the shipped `models/`, or by path) and load.

A model file is an `.npz` archive of plain numpy arrays with the card inside it as
JSON text (and beside it as `<name>.card.json`, for people to read). It is read with
`allow_pickle=False`, so it holds data and nothing else: loading a model cannot run
code, whoever made the file. (The joblib files of earlier versions were pickles,
which run whatever they were made to run; they are refused here, with the command
that converts one a user trusts: `legacy.py`.) Loading never imports scikit-learn,
and checks the card first (`card.check_card`).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from dataclasses import fields
from importlib import resources
from pathlib import Path

import numpy as np

from detector.errors import ModelError
from detector.files import atomic_path, write_text_atomic
from detector.segmenter import AppendixGate, Segmenter

from .card import check_card
from .scorer import HashedTfidf, Model
from .trees import ContextLayer

# The shipped models: `<name>.npz` (and its card) in `models/`; `make model` writes
# the default one, `detector convert` turns an old `<name>.joblib` into it.
DEFAULT_MODEL = "default"
MODEL_SUFFIX = ".npz"
LEGACY_SUFFIX = ".joblib"
CARD_SUFFIX = ".card.json"

_CARD_KEY = "card.json"  # the archive member holding the card
_GROUP = "."  # "words.idf": the array `idf` of the group `words`
# Every member is dated the same, so one model's file is the same bytes whenever
# it is written (a retrain with the same seed is byte for byte the same file).
_MEMBER_DATE = (1980, 1, 1, 0, 0, 0)
_DEFLATE_LEVEL = 6  # zlib's default, as zipfile's
_DEFLATE_MIN_SAVING = 0.10


def model_arrays(model: Model) -> dict:
    """What a model file stores besides the card: groups of named arrays."""

    seg = model.segmenter
    return {
        "words": _tfidf_arrays(model.words),
        "chars": _tfidf_arrays(model.chars),
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


def _tfidf_arrays(tfidf: HashedTfidf) -> dict:
    """A TF-IDF block as stored, exactly: its vocabulary as a bit set over the hashed
    space, and its idf as codes into the few values an idf takes (one per document
    frequency). Both are a fraction of the plain arrays to inflate when a model loads."""
    stored = {"bits": tfidf.bits, "coef": tfidf.coef}
    buckets, space = np.asarray(tfidf.buckets), 1 << tfidf.bits
    if len(buckets) and np.all(np.diff(buckets) > 0) and buckets[0] >= 0 and buckets[-1] < space:
        present = np.zeros(space, dtype=bool)
        present[buckets] = True
        stored["bucket_set"] = np.packbits(present)
    else:
        stored["buckets"] = buckets
    values, codes = np.unique(tfidf.idf, return_inverse=True)
    if len(values) <= 1 << 16:
        stored["idf_values"], stored["idf_codes"] = values, codes.astype(np.uint16)
    else:
        stored["idf"] = tfidf.idf
    return stored


def _tfidf_from(stored: dict) -> HashedTfidf:
    """`_tfidf_arrays` read back (a file of an earlier version holds the plain arrays)."""
    bits = int(stored["bits"])
    if "bucket_set" in stored:
        buckets = np.flatnonzero(np.unpackbits(stored["bucket_set"], count=1 << bits)).astype(np.int32)
    else:
        buckets = stored["buckets"]
    idf = stored["idf_values"][stored["idf_codes"]] if "idf_codes" in stored else stored["idf"]
    return HashedTfidf(bits=bits, buckets=buckets, idf=idf, coef=stored["coef"])


def save_model(model: Model, path: str | os.PathLike) -> Path:
    """Write the model atomically as `.npz`, its card inside and beside it as JSON."""
    path = Path(path)
    if path.suffix != MODEL_SUFFIX:
        raise ValueError(f"a model file ends in {MODEL_SUFFIX}, not {path.name}")
    card = json.dumps(model.card, indent=2, sort_keys=True) + "\n"
    members = {**_flatten(model_arrays(model)), _CARD_KEY: np.array(card)}
    with atomic_path(path) as tmp:
        _write_npz(tmp, members)
    write_text_atomic(card_path_for(path), card)
    return path


def _flatten(arrays: dict) -> dict[str, np.ndarray]:
    flat = {}
    for key, value in arrays.items():
        if isinstance(value, dict):
            flat.update({f"{key}{_GROUP}{name}": np.asarray(v) for name, v in value.items()})
        else:
            flat[key] = np.asarray(value)
    return flat


def _unflatten(flat: dict[str, np.ndarray]) -> dict:
    arrays: dict = {}
    for key, value in flat.items():
        group, _, name = key.rpartition(_GROUP)
        (arrays.setdefault(group, {}) if group else arrays)[name] = value
    return arrays


def _write_npz(path: str, members: dict[str, np.ndarray]) -> None:
    """An archive `np.load` reads, written member by member with fixed dates (numpy's
    own `savez` stamps each member with the time of writing). A member is deflated
    only where that saves at least a tenth of it: the hashed coefficients barely
    shrink, and inflating them cost a third of the model's load time."""
    with zipfile.ZipFile(path, "w") as archive:
        for key in sorted(members):
            data = _npy_bytes(members[key])
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_MEMBER_DATE)
            deflated = len(zlib.compress(data, _DEFLATE_LEVEL))
            worth_it = deflated <= len(data) * (1 - _DEFLATE_MIN_SAVING)
            info.compress_type = zipfile.ZIP_DEFLATED if worth_it else zipfile.ZIP_STORED
            archive.writestr(info, data, compresslevel=_DEFLATE_LEVEL)


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def card_path_for(path: Path) -> Path:
    """`models/x.npz` -> `models/x.card.json` (a legacy `x.joblib` has the same card name)."""
    stem = path.name.removesuffix(MODEL_SUFFIX).removesuffix(LEGACY_SUFFIX)
    return path.with_name(stem + CARD_SUFFIX)


def model_dir() -> Path:
    """Where named models ship: `models/` at the repository root, or inside the installed package."""
    packaged = resources.files("detector") / "models"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "models"


def available_models() -> list[str]:
    return sorted(p.name.removesuffix(MODEL_SUFFIX) for p in model_dir().glob(f"*{MODEL_SUFFIX}"))


def resolve_model_path(name_or_path: str | os.PathLike | None) -> Path:
    """A model name, looked up among the shipped models, then in ./models/ (`--model tiny`
    finds ./models/tiny.npz); or a path, for a Path object or text that looks like one
    (a folder separator or a model file's suffix). A file or folder called `default` in
    the working directory is not the default model. Unknown names list the choices; a
    joblib file is refused with the command that converts it."""
    name = os.fspath(name_or_path if name_or_path is not None else DEFAULT_MODEL)
    looks_like_path = name.endswith((MODEL_SUFFIX, LEGACY_SUFFIX)) or os.sep in name or "/" in name
    if isinstance(name_or_path, os.PathLike) or looks_like_path:
        path = Path(name)
        if not path.is_file():
            raise ModelError(f"model file {path} does not exist")
    else:
        path = _find_named(name)
    if path.suffix == LEGACY_SUFFIX:
        raise ModelError(legacy_refusal(path))
    return path


def _find_named(name: str) -> Path:
    """`name`.npz among the shipped models, then in ./models/; a joblib file of that name
    (the old format) is found too, so that it can be refused with how to convert it."""
    folders = [model_dir(), Path("models")]
    for suffix in (MODEL_SUFFIX, LEGACY_SUFFIX):
        for folder in folders:
            if (folder / f"{name}{suffix}").is_file():
                return folder / f"{name}{suffix}"
    choices = sorted({p.name.removesuffix(MODEL_SUFFIX) for f in folders for p in f.glob(f"*{MODEL_SUFFIX}")})
    raise ModelError(f"unknown model {name!r}; available models: {', '.join(choices) or 'none installed'} "
                     f"(shipped, or in ./models/); a model file's path needs a folder or the {MODEL_SUFFIX} suffix")


def legacy_refusal(path: Path) -> str:
    return (
        f"{path}: a joblib model file, which this detector does not load: a joblib file is a "
        f"pickle, and loading one runs whatever code it holds. If you trust it (you trained it, "
        f"or it came from a source you trust), convert it once: "
        f"detector convert {path} -o {path.with_suffix(MODEL_SUFFIX)} --trusted"
    )


def load_model(name_or_path: str | os.PathLike | None = None) -> Model:
    """Load a named or a file model, refusing one whose card does not match this version."""
    path = resolve_model_path(name_or_path)
    if not zipfile.is_zipfile(path):  # numpy's own message would suggest unpickling it
        raise ModelError(f"{path}: not a detector model (a model file is an {MODEL_SUFFIX} archive, and this "
                         f"is not one; detector never unpickles a model)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            members = {key: archive[key] for key in archive.files}
        card = json.loads(str(members.pop(_CARD_KEY)))
    except Exception as exc:  # a corrupt or foreign file (a pickle among them): numpy and zipfile raise many kinds
        raise ModelError(f"{path}: not a detector model ({type(exc).__name__}: {exc})") from exc
    check_card(card, path)
    try:
        return model_from_arrays(_unflatten(members), card)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: not a detector model (missing or malformed {exc})") from exc


def model_from_arrays(arrays: dict, card: dict) -> Model:
    """The `Model` of `model_arrays` (scalars come back from a file as 0-d arrays)."""

    context = {f.name: arrays["context"][f.name] for f in fields(ContextLayer)}
    seg = arrays["segmenter"]
    return Model(
        words=_tfidf_from(arrays["words"]),
        chars=_tfidf_from(arrays["chars"]),
        dense_mean=arrays["dense_mean"],
        dense_scale=arrays["dense_scale"],
        dense_coef=arrays["dense_coef"],
        intercept=arrays["intercept"],
        temperature=float(arrays["temperature"]),
        context=ContextLayer(**{**context, "depth": int(context["depth"])}),
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
