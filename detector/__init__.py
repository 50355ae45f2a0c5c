"""detector: keep the reporting of scraped news pages, label everything else.

    >>> import detector
    >>> detector.clean(html).text                 # one-off, default model
    >>> d = detector.Detector()                   # load once ...
    >>> for page in pages: d.clean(page).blocks   # ... clean many
"""

__version__ = "0.1.0"

from .errors import DataError, DetectorError, InputError, ModelError, PageTimeout
from .model import Model, available_models, load_model
from .pipeline import Detector, Options, clean
from .types import Block, BlockKind, BlockResult, Label, PageResult, Segment

__all__ = [
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
