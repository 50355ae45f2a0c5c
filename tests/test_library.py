"""The library as a host program calls it: one TypeError for what is not a page,
bytes-like pages, the size limit in the right unit, batches, the HTTP charset and URL."""

from __future__ import annotations

import multiprocessing
from importlib import resources
from pathlib import Path

import pytest

from detector import Detector, InputError, Options, PageResult

from .conftest import ARTICLE


@pytest.fixture(scope="module")
def detector(tiny_model_path):
    # a generous limit: these tests are not about time, and a first extraction on a
    # starved machine took 53 s here
    return Detector(tiny_model_path, Options(timeout=120))


@pytest.mark.parametrize("page", [None, 42, ["<p>a</p>"], {"html": "<p>a</p>"}, Path("page.html")],
                         ids=["None", "int", "list", "dict", "Path"])
def test_what_is_not_a_page_is_one_type_error_naming_the_accepted_types(detector, page):
    with pytest.raises(TypeError, match=r"a page must be str, bytes, bytearray, memoryview or detector\.Page, not ") as caught:
        detector.clean(page)
    assert type(page).__name__ in str(caught.value)
    if isinstance(page, Path):
        assert "read_bytes()" in str(caught.value)


def test_bytearray_and_memoryview_are_pages(detector):
    expected = detector.clean(ARTICLE.encode()).text
    assert expected and detector.clean(bytearray(ARTICLE.encode())).text == expected
    assert detector.clean(memoryview(ARTICLE.encode())).text == expected


def test_the_size_limit_counts_characters_of_a_str(tiny_model_path):
    small = Detector(tiny_model_path, Options(max_bytes=100))
    with pytest.raises(InputError, match="page is 200 characters, over the 100-character limit"):
        small.clean("é" * 200)
    with pytest.raises(InputError, match="page is 400 bytes, over the 100-byte limit"):
        small.clean(("é" * 200).encode())


@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_many_keeps_the_order_and_returns_failures_in_place(detector, jobs):
    pages = [ARTICLE, b"", ARTICLE.replace("Kelby", "Dunmore").encode(), bytearray(b"\x00" * 500)]
    results = list(detector.clean_many(pages, jobs=jobs))
    assert [type(r) for r in results] == [PageResult, InputError, PageResult, InputError]
    assert "Kelby council" in results[0].text and "Dunmore council" in results[2].text
    assert results[1].source == "<page 1>" and results[1].reason == "empty input"
    assert results[3].source == "<page 3>"


def _native_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info()]


def test_batch_workers_run_one_blas_thread_and_the_caller_keeps_its_own(detector):
    from detector import batch

    before = _native_threads()
    with multiprocessing.get_context("fork").Pool(1, initializer=batch._init_worker, initargs=(detector,)) as pool:
        inside = pool.apply(_native_threads)
    assert inside == [1] * len(before)  # numpy's BLAS at least
    assert _native_threads() == before


def test_clean_many_refuses_what_is_not_a_page(detector):
    with pytest.raises(TypeError, match="not int"):
        list(detector.clean_many([ARTICLE, 42]))


def test_the_http_charset_and_url_are_used(detector):
    page = "<html><body><article><p>Łódź council approved 40 million złoty for żłobki, said Świątek.</p>" \
           "<p>Work starts in March in Gdańsk and ends in 2027.</p></article></body></html>"
    data = page.encode("iso-8859-2")  # undeclared, not UTF-8: without the charset it would be guessed
    result = detector.clean(data, charset="ISO-8859-2", url="https://news.example/lodz")
    assert "Łódź council approved 40 million złoty" in result.text
    assert result.url == "https://news.example/lodz" and result.to_dict()["url"] == "https://news.example/lodz"


def test_the_package_declares_its_type_hints():
    assert resources.files("detector").joinpath("py.typed").is_file()
