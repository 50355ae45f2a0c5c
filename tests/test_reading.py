"""Reading inputs: listing paths, reading bytes, decoding pages."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path, PurePath

import pytest

from detector.reading import walk
from detector.errors import InputError
from detector.reading import MAX_BYTES, Source, decode_page, iter_sources, read_source

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}")

ARTICLE = "<html><head><title>T</title></head><body><p>Council approves the budget.</p></body></html>"


def _source(path: Path) -> Source:
    return Source(str(path), path, PurePath(path.name))


def _errors(items) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def _sources(items) -> list[Source]:
    return [item for item in items if isinstance(item, Source)]


# ---------------------------------------------------------------- iter_sources


def test_directory_walk_is_recursive_sorted_and_filtered(tmp_path):
    for name in ["b.html", "a.txt", "sub/c.htm", "sub/deeper/d.html.gz", "sub/e.TXT", "notes.md", "img.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    items = list(iter_sources([str(tmp_path)]))
    assert _errors(items) == []
    assert [str(s.relative) for s in _sources(items)] == [
        "a.txt", "b.html", "sub/c.htm", "sub/deeper/d.html.gz", "sub/e.TXT",
    ]
    assert all(s.path is not None and s.path.is_file() for s in _sources(items))


def test_explicit_file_is_taken_whatever_its_suffix(tmp_path):
    page = tmp_path / "page.dump"
    page.write_text("text")
    (source,) = iter_sources([str(page)])
    assert source == Source(str(page), page, PurePath("page.dump"))


def test_dash_means_stdin():
    (source,) = iter_sources(["-"])
    assert source.path is None and source.name == "<stdin>"


def test_missing_path_is_yielded_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("text")
    items = list(iter_sources([str(tmp_path / "missing.html"), str(good)]))
    assert isinstance(items[0], InputError)
    assert items[0].source.endswith("missing.html") and items[0].reason == "no such file or directory"
    assert items[1].path == good


def test_symlink_loop_is_reported_once_and_the_walk_ends(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text(ARTICLE)
    os.symlink(tmp_path, tmp_path / "sub" / "back")
    items = list(iter_sources([str(tmp_path)]))
    assert [str(s.relative) for s in _sources(items)] == ["sub/page.html"]
    (error,) = _errors(items)
    assert error.source.endswith("back") and "symlink loop" in error.reason


def test_self_referencing_and_dangling_links_are_errors(tmp_path):
    os.symlink(tmp_path / "loop.html", tmp_path / "loop.html")
    os.symlink(tmp_path / "gone.html", tmp_path / "dangling.html")
    reasons = {Path(e.source).name: e.reason for e in _errors(iter_sources([str(tmp_path)]))}
    assert reasons == {"dangling.html": "broken symbolic link", "loop.html": "symlink loop"}


def test_unreadable_directory_is_yielded_not_raised(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "open.txt").write_text("text")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    items = list(iter_sources([str(tmp_path)]))
    assert [str(s.relative) for s in _sources(items)] == ["open.txt"]
    (error,) = _errors(items)
    assert error.source.endswith("locked") and error.reason == "permission denied"


# ---------------------------------------------------------------- read_source


def test_reads_plain_and_gzipped_files(tmp_path):
    plain, packed = tmp_path / "a.html", tmp_path / "b.html.gz"
    plain.write_text(ARTICLE)
    packed.write_bytes(gzip.compress(ARTICLE.encode()))
    assert read_source(_source(plain)).content == ARTICLE
    page = read_source(_source(packed))
    assert page.content == ARTICLE and page.is_html and page.name.endswith("b.html.gz")


def test_truncated_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "cut.html.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode() * 50)[:-30])
    with pytest.raises(InputError, match="truncated gzip"):
        read_source(_source(path))


def test_corrupt_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "bad.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not deflate data at all" * 4)
    with pytest.raises(InputError, match="gzip"):
        read_source(_source(path))


def test_gzip_bomb_stops_at_the_limit(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    with pytest.raises(InputError, match="1,000,000-byte limit once decompressed"):
        read_source(_source(path), max_bytes=1_000_000)


def test_too_large_file_names_its_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    with pytest.raises(InputError, match="1,500 bytes, over the 1,000-byte limit"):
        read_source(_source(path), max_bytes=1000)


def test_default_limit_is_20_megabytes():
    assert MAX_BYTES == 20 * 1024 * 1024


def test_reads_stdin_with_a_limit():
    stdin_source = Source("<stdin>", None, PurePath("stdin"))
    page = read_source(stdin_source, stdin=io.BytesIO(b"Plain text from a pipe."))
    assert page.content == "Plain text from a pipe." and not page.is_html
    with pytest.raises(InputError, match="over the 10-byte limit"):
        read_source(stdin_source, max_bytes=10, stdin=io.BytesIO(b"x" * 100))


def test_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(_source(tmp_path / "vanished.html"))


# ---------------------------------------------------------------- decode_page


def test_declared_windows_1252_is_honoured():
    data = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted” – €5</p></body></html>'
    page = decode_page(data.encode("cp1252"), "p")
    assert "Café “quoted” – €5" in page.content


def test_declared_latin1_is_read_as_windows_1252_like_browsers_do():
    data = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>“x”</p></body></html>'
    assert "“x”" in decode_page(data.encode("cp1252"), "p").content


def test_xml_declaration_names_the_encoding():
    data = '<?xml version="1.0" encoding="iso-8859-15"?><html><body><p>prix 5 €</p></body></html>'
    assert "prix 5 €" in decode_page(data.encode("iso-8859-15"), "p").content


def test_wrong_declared_encoding_does_not_crash():
    claims_utf8 = '<html><head><meta charset="utf-8"></head><body><p>Café owner’s lunch</p></body></html>'.encode("cp1252")
    assert "Café owner’s lunch" in decode_page(claims_utf8, "p").content
    claims_latin1 = '<html><head><meta charset="iso-8859-1"></head><body><p>Café owner’s lunch</p></body></html>'.encode()
    assert "Café owner’s lunch" in decode_page(claims_latin1, "p").content
    unknown = b'<html><head><meta charset="no-such-codec"></head><body><p>plain</p></body></html>'
    assert "plain" in decode_page(unknown, "p").content


def test_undeclared_legacy_bytes_are_guessed():
    data = "Le café de Renée sert un déjeuner à prix libre depuis un an, « payez ce que vous pouvez ».".encode("cp1252")
    assert decode_page(data, "t").content.startswith("Le café de Renée")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_decides(encoding):
    assert decode_page("Zürich news".encode(encoding), "t").content == "Zürich news"


def test_stray_nul_bytes_are_stripped():
    page = decode_page(b"<html><body><p>Coun\x00cil votes</p>\x00</body></html>", "p")
    assert "\x00" not in page.content and "Council votes" in page.content


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x1f\x8b\x08\x00" + b"rest",
        bytes(range(256)) * 40,
        b"\x00" * 5000 + b"<html>hidden</html>",
    ],
    ids=["png", "pdf", "gzip", "random", "nul-run"],
)
def test_binary_data_is_rejected(data):
    with pytest.raises(InputError, match="binary data, not a web page or text"):
        decode_page(data, "b")


def test_zip_archive_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.html", ARTICLE)
    with pytest.raises(InputError, match="binary data"):
        decode_page(buffer.getvalue(), "z.html")


@pytest.mark.parametrize("data", [b"", b"  \n\t \r\n", "", "   ", b"\x00\x00"])
def test_empty_input(data):
    with pytest.raises(InputError, match="empty input") as info:
        decode_page(data, "e")
    assert info.value.source == "e"


def test_decode_page_enforces_the_limit_too():
    with pytest.raises(InputError, match="over the 100-byte limit"):
        decode_page(b"x" * 101, "big", max_bytes=100)
    with pytest.raises(InputError, match="over the 100-character limit"):  # a str counts characters
        decode_page("x" * 101, "big", max_bytes=100)


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  \n<html><body>x</body></html>", True),
        ("Some intro\n<div><p>one</p><p>two</p></div>", True),
        ("Plain news text about the <b> tag.\nSecond paragraph.", False),
        ("Tags:\n1. foo\n2. bar", False),
    ],
)
def test_html_is_sniffed(text, is_html):
    assert decode_page(text, "s").is_html is is_html


def test_is_html_can_be_forced():
    assert decode_page("<p>looks like html</p>", "s", is_html=False).is_html is False
    assert decode_page("plain", "s", is_html=True).is_html is True


@needs_seeds
def test_seed_pages_read_as_utf8_text():
    for path in sorted(SEEDS.glob("*.txt")):
        page = read_source(_source(path))
        assert not page.is_html
        assert "’" in page.content  # curly apostrophes decoded, not mojibake
        assert "â€" not in page.content
