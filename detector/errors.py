"""Exceptions raised by detector.

DetectorError                 base of everything detector raises on purpose
 +-- InputError               one input cannot be read or cleaned; names the input and the reason
 |    +-- PageTimeout         one page took longer than the per-page time limit
 +-- ModelError               a model file is missing, unknown, corrupt or from an incompatible version
 +-- DataError                a labelled-page (training/evaluation) file is malformed
"""

from __future__ import annotations


class DetectorError(Exception):
    """Base class of every error detector raises on purpose."""


class InputError(DetectorError):
    """An input that cannot be read or cleaned."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):
        # Worker processes send errors back pickled; the default would call
        # __init__ with the one formatted message and fail in the parent.
        return type(self), (self.source, self.reason)


class PageTimeout(InputError):
    """A page exceeded the per-page time limit."""


class ModelError(DetectorError):
    """A model that cannot be used."""


class DataError(DetectorError):
    """A malformed labelled-page file."""
