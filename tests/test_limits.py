"""The per-page time limit as a host program meets it: imports outside the timer, limits
that are not numbers refused, the caller's own timer kept, threads warned and bounded."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import warnings

import pytest
from click.testing import CliRunner

from detector import Detector, Options, PageResult, PageTimeout, limits, pipeline
from detector.cli import main

from .conftest import ARTICLE, ROOT


def test_trafilatura_is_imported_before_the_timer_starts(tiny_model_path):
    """A fresh interpreter, so that trafilatura is not imported yet when the first page comes."""
    script = f"""
import sys
from detector import Detector, Options, pipeline
real = pipeline.time_limit
seen = []
def spy(seconds, name):
    seen.append("trafilatura" in sys.modules and "lxml.html" in sys.modules)
    return real(seconds, name)
pipeline.time_limit = spy
Detector({str(tiny_model_path)!r}, Options(timeout=5)).clean({ARTICLE!r})
print(seen)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True]"


def test_a_tiny_timeout_never_breaks_later_pages(tmp_path, tiny_model_path):
    """--timeout 0.05 used to cut the first page's `import trafilatura` short; the pages
    after it failed with 'unexpected AttributeError' from half-initialised modules."""
    pages = []
    for number in range(4):
        page = tmp_path / f"p{number}.html"
        page.write_text(ARTICLE, encoding="utf-8")
        pages.append(str(page))
    done = subprocess.run([sys.executable, "-m", "detector", "clean", *pages, "--timeout", "0.05", "--model", str(tiny_model_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "unexpected" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("detector: error:")]
    assert all("per-page limit" in line for line in errors)


@pytest.mark.parametrize("flag, value", [("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "inf"),
                                         ("--timeout", "1e12"), ("--caution", "nan"), ("--caution", "-1"),
                                         ("--caution", "inf")])
def test_limits_that_are_not_numbers_are_usage_errors(tmp_path, tiny_model_path, flag, value):
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(page), "--model", str(tiny_model_path), flag, value])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("detector: ")
    assert flag.lstrip("-") in result.stderr


@pytest.mark.parametrize("options", [{"timeout": -1.0}, {"timeout": float("nan")}, {"timeout": float("inf")},
                                     {"caution": float("nan")}, {"caution": float("inf")}])
def test_options_refuse_limits_that_are_not_numbers(options):
    with pytest.raises(ValueError):
        Options(**options)


@pytest.fixture()
def alarms():
    """SIGALRM deliveries to a handler of the test's own, as a host program would install."""
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(time.monotonic()))
    yield fired
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_the_callers_timer_runs_on_after_a_clean(tiny_model_path, alarms):
    detector = Detector(tiny_model_path, Options(timeout=5))
    signal.setitimer(signal.ITIMER_REAL, 30.0)
    assert isinstance(detector.clean(ARTICLE), PageResult)
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    assert 25 < remaining < 30  # re-armed, less the time the page took
    assert signal.getsignal(signal.SIGALRM) is not None and not alarms


def test_the_callers_alarm_due_during_a_clean_fires_after_it(tiny_model_path, alarms):
    detector = Detector(tiny_model_path, Options(timeout=5))
    signal.setitimer(signal.ITIMER_REAL, 0.001)
    assert isinstance(detector.clean(ARTICLE), PageResult)
    give_up = time.monotonic() + 2
    while not alarms and time.monotonic() < give_up:
        time.sleep(0.01)
    assert len(alarms) == 1


def test_outside_the_main_thread_a_slow_page_is_abandoned_with_one_warning(tiny_model_path, monkeypatch):
    real_extract = pipeline.extract_page

    def slow_extract(page):
        time.sleep(0.3)
        return real_extract(page)

    monkeypatch.setattr(pipeline, "extract_page", slow_extract)
    monkeypatch.setattr(limits, "_warned_without_alarm", threading.Event())
    detector = Detector(tiny_model_path, Options(timeout=0.1))
    outcomes: list = []

    def clean_twice():
        for name in ("first.html", "second.html"):
            try:
                outcomes.append(detector.clean(ARTICLE, name))
            except PageTimeout as exc:
                outcomes.append(exc)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        worker = threading.Thread(target=clean_twice)
        worker.start()
        worker.join(10)
    assert [type(o) for o in outcomes] == [PageTimeout, PageTimeout]
    assert outcomes[0].source == "first.html"
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(messages) == 1 and "outside the main thread" in messages[0]


def _attribute_flood(megabytes: float, per_tag: int = 700) -> str:
    """Tags each under the per-tag cap (1,000 attributes), as many as fill the page."""
    tag = "<div " + " ".join(f'a{i}="{i}"' for i in range(per_tag)) + ">x</div>\n"
    return "<html><body><p>Kelby council approved the plan.</p>" + tag * int(megabytes * 1e6 // len(tag)) + "</body></html>"


def test_a_page_keeps_at_most_its_attribute_budget():
    from detector.extraction.markup import _ATTRIBUTE, MAX_PAGE_ATTRIBUTES, tame_markup

    page = _attribute_flood(3.0)
    tamed = tame_markup(page)
    assert len(_ATTRIBUTE.findall(page)) > 2 * MAX_PAGE_ATTRIBUTES
    assert MAX_PAGE_ATTRIBUTES - 700 < len(_ATTRIBUTE.findall(tamed)) <= MAX_PAGE_ATTRIBUTES
    assert tamed.count(">x</div>") == page.count(">x</div>")  # the text is all there
    assert tame_markup(ARTICLE) == ARTICLE


def test_a_flood_of_attributes_is_cleaned_in_bounded_memory():
    """6 MB of 700-attribute tags: 1.94 GB peak for 15 MB before the page budget, and about
    40% of that for this page; with it the extraction adds tens of MB."""
    script = """
import resource
from tests.test_limits import _attribute_flood
from detector.extraction import extract_blocks
from detector.types import Page
import trafilatura
page = Page("flood", _attribute_flood(6.0), True)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
blocks = extract_blocks(page)
print(sum(b.text.split().count("x") for b in blocks), (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    # every div's text is extracted (in one block or many: trafilatura's fast pass joins
    # them, its fallback extractors split them) and memory stays bounded
    words, added_megabytes = map(int, done.stdout.split())
    assert words == _attribute_flood(6.0).count(">x</div>") and added_megabytes < 200
