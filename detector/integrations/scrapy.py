"""A Scrapy item pipeline: each item's HTML (or response body) cleaned into a text field.

In the project's settings.py:

    ITEM_PIPELINES = {"detector.scrapy.DetectorPipeline": 300}
    DETECTOR_HTML_FIELD = "html"        # the item field holding the page (str or bytes)
    DETECTOR_TEXT_FIELD = "text"        # where the clean text goes
    DETECTOR_DROP_EMPTY = True          # drop items whose clean text is empty

Optional: DETECTOR_MODEL (a model name or file; the shipped default when unset),
DETECTOR_LABELS_FIELD (every block with its label, probabilities, segment and reason,
as `detector clean --format json` writes them), DETECTOR_CAUTION, DETECTOR_TIMEOUT
(seconds per page, 0 for no limit).

The model is loaded once per process, when the first crawler opens the pipeline. An
item that cannot be cleaned (no page in its field, a page detector refuses, a page
over the time limit, an unexpected failure) is logged, counted in the crawl's stats
under `detector/errors/...`, and passed on without the text field: one bad page never
stops a crawl. Only an empty clean text drops an item, and only with DETECTOR_DROP_EMPTY.

Cleaning runs in the reactor's thread, where the per-page time limit works; a page
takes tens of milliseconds, during which Scrapy waits (see the README for the cost).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..errors import InputError
from ..limits import DEFAULT_TIMEOUT
from ..pipeline import Detector, Options

__all__ = ["DetectorPipeline", "PipelineSettings"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineSettings:
    """What the DETECTOR_* settings ask for, read in one place."""

    model: str | None = None
    html_field: str = "html"
    text_field: str = "text"
    labels_field: str | None = None
    drop_empty: bool = False
    options: Options = Options()

    @classmethod
    def of(cls, settings: Any) -> PipelineSettings:
        """From Scrapy's `Settings` (typed getters, so "0" or "false" mean False)."""
        timeout = settings.getfloat("DETECTOR_TIMEOUT", DEFAULT_TIMEOUT)
        return cls(
            model=settings.get("DETECTOR_MODEL") or None,
            html_field=settings.get("DETECTOR_HTML_FIELD", "html"),
            text_field=settings.get("DETECTOR_TEXT_FIELD", "text"),
            labels_field=settings.get("DETECTOR_LABELS_FIELD") or None,
            drop_empty=settings.getbool("DETECTOR_DROP_EMPTY", False),
            options=Options(timeout=timeout or None, caution=settings.getfloat("DETECTOR_CAUTION", 0.0)),
        )


@lru_cache(maxsize=None)
def shared_detector(model: str | None, options: Options) -> Detector:
    """One Detector per model and options in this process, whatever the number of crawlers."""
    return Detector(model, options)


class DetectorPipeline:
    """Cleans `item[DETECTOR_HTML_FIELD]` into `item[DETECTOR_TEXT_FIELD]`."""

    def __init__(self, detector: Detector, settings: PipelineSettings, stats: Any):
        self.detector = detector
        self.settings = settings
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectorPipeline:
        """Read the settings and load the model; a model that cannot be loaded is a
        ModelError here, before the first request, not an error on every item."""
        settings = PipelineSettings.of(crawler.settings)
        return cls(shared_detector(settings.model, settings.options), settings, crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        # `spider` is optional: older Scrapy versions pass it; newer ones do not, and
        # warn about pipelines that require it (2.19 does).
        adapter = ItemAdapter(item)
        name = str(adapter.get("url") or "<item>")
        page = adapter.get(self.settings.html_field)
        if not isinstance(page, (str, bytes)):
            what = "missing" if page is None else f"a {type(page).__name__}, not str or bytes"
            return self._failed(item, "no_page", f"cannot clean {name}: field {self.settings.html_field!r} is {what}")
        try:
            result = self.detector.clean(page, name)
        except InputError as exc:
            return self._failed(item, "input", f"cannot clean {exc}")
        except Exception as exc:  # a bug or a library failing on a strange page: count it, go on
            message = f"unexpected failure on {name}: {type(exc).__name__}: {exc}"
            return self._failed(item, "unexpected", message, traceback=True)
        self.stats.inc_value("detector/cleaned")
        self.stats.inc_value("detector/blocks", len(result.blocks))
        self.stats.inc_value("detector/blocks_dropped", sum(not r.kept for r in result.blocks))
        if not result.text:
            self.stats.inc_value("detector/empty")
            if self.settings.drop_empty:
                raise DropItem(f"detector: no reporting left in {name}")
        try:
            adapter[self.settings.text_field] = result.text
            if self.settings.labels_field is not None:
                adapter[self.settings.labels_field] = result.to_dict()["blocks"]
        except KeyError as exc:  # a scrapy.Item that does not declare the field
            return self._failed(item, "no_field", f"cannot store the clean text of {name}: the item has no field {exc} "
                                "(declare it on the Item)")
        return item

    def _failed(self, item: Any, kind: str, message: str, *, traceback: bool = False) -> Any:
        """Count and log a failure; the item goes on unchanged."""
        self.stats.inc_value("detector/errors")
        self.stats.inc_value(f"detector/errors/{kind}")
        logger.warning("detector: %s", message, exc_info=traceback)
        return item
