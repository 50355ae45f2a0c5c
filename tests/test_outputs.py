"""Outputs nothing is lost from: one file per input however names collide, no output
over an input, pages on stdout that can be told apart, empty and cut pages counted,
Ctrl-C and a full disk ending in one line."""

from __future__ import annotations

import errno
import gzip
import json
import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from detector import sink
from detector.cli import main

from .conftest import ARTICLE, ROOT, tiny_pages

TEXT_PAGE = "\n".join(b.text for b in tiny_pages(2)[1].blocks)


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_inputs_of_one_stem_get_one_output_each(tmp_path, tiny_model_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(ARTICLE, encoding="utf-8")
    (pages / "a.txt").write_text(TEXT_PAGE, encoding="utf-8")
    (pages / "a.htm.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    out = tmp_path / "out"
    result = run("clean", pages, "-o", out, "--model", tiny_model_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "a~2.txt", "a~3.txt"]
    assert "Tags" not in (out / "a~2.txt").read_text() and "Kelby" in (out / "a~2.txt").read_text()  # a.html, second in name order
    notes = [line for line in result.stderr.splitlines() if "earlier input's output" in line]
    assert len(notes) == 2 and str(pages / "a.txt") in notes[1] and str(out / "a~3.txt") in notes[1]
    again = run("clean", pages, "-o", out, "--skip-existing", "--model", tiny_model_path)  # names are stable
    assert again.exit_code == 0 and sorted(p.name for p in out.iterdir()) == ["a.txt", "a~2.txt", "a~3.txt"]


def test_files_of_one_name_in_two_folders_get_one_output_each(tmp_path, tiny_model_path):
    for folder, text in (("a", ARTICLE), ("b", ARTICLE.replace("Kelby", "Dunmore"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("clean", tmp_path / "a" / "index.html", tmp_path / "b" / "index.html", "-o", out, "--model", tiny_model_path)
    assert result.exit_code == 0
    assert "Kelby" in (out / "index.txt").read_text() and "Dunmore" in (out / "index~2.txt").read_text()


def test_an_output_folder_over_an_input_is_refused(tmp_path, tiny_model_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(TEXT_PAGE, encoding="utf-8")
    for out, input_path in ((pages, pages), (pages / "clean", pages), (pages, pages / "a.txt")):
        result = run("clean", input_path, "-o", out, "--model", tiny_model_path)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "output folder" in result.stderr
    assert (pages / "a.txt").read_text() == TEXT_PAGE and not (pages / "clean").exists()


def test_a_listed_input_inside_the_output_folder_is_refused(tmp_path, tiny_model_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text(TEXT_PAGE, encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{out / 'a.txt'}\n")
    result = run("clean", "--from-list", listing, "-o", out, "--model", tiny_model_path)
    assert result.exit_code == 1 and "inside the output folder" in result.stderr
    assert (out / "a.txt").read_text() == TEXT_PAGE


def _two_pages(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(ARTICLE, encoding="utf-8")
    (pages / "b.txt").write_text(TEXT_PAGE, encoding="utf-8")
    return pages


def test_several_text_pages_on_stdout_open_with_their_source(tmp_path, tiny_model_path):
    pages = _two_pages(tmp_path)
    result = run("clean", pages, "--model", tiny_model_path)
    headers = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {pages / 'a.html'} <==", f"==> {pages / 'b.txt'} <=="]
    single = run("clean", pages / "a.html", "--model", tiny_model_path)
    assert "==>" not in single.stdout and single.stdout.startswith("Kelby")


def test_several_json_pages_on_stdout_are_json_lines(tmp_path, tiny_model_path):
    pages = _two_pages(tmp_path)
    result = run("clean", pages, "--format", "json", "--model", tiny_model_path)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [os.path.basename(r["source"]) for r in records] == ["a.html", "b.txt"]
    assert all(r["model_version"].startswith("card-sha256:") for r in records)


def test_skip_existing_without_an_output_folder_is_a_usage_error(tmp_path):
    result = run("clean", tmp_path, "--skip-existing")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_empty_and_cut_pages_are_flagged_and_counted(tmp_path, tiny_model_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "empty.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    (pages / "long.txt").write_text("\n\n".join(f"Paragraph {n} of the council minutes." for n in range(3005)), encoding="utf-8")
    (pages / "fine.html").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run("clean", pages, "-o", out, "--format", "json", "--model", tiny_model_path)
    assert result.exit_code == 0
    records = {p.stem: json.loads(p.read_text()) for p in out.iterdir()}
    assert records["empty"]["empty"] is True and records["empty"]["truncated"] == []
    assert records["long"]["truncated"] == ["5 blocks after the first 3,000 dropped"] and len(records["long"]["blocks"]) == 3000
    assert records["fine"]["empty"] is False and records["fine"]["truncated"] == []
    assert "1 page(s) came out empty" in result.stderr and "1 page(s) were cut at the caps" in result.stderr


def test_a_full_disk_ends_the_batch_with_one_line_naming_the_output(tmp_path, tiny_model_path, monkeypatch):
    def full_disk(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(sink, "write_text_atomic", full_disk)
    pages = _two_pages(tmp_path)
    result = run("clean", pages, "-o", tmp_path / "out", "--model", tiny_model_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"detector: cannot write {tmp_path / 'out' / 'a.txt'}: "
                                          f"{os.strerror(errno.ENOSPC)}; stopped (every output written before it is whole)"]


def test_ctrl_c_ends_a_two_worker_batch_with_exit_130_and_one_line(tmp_path, tiny_model_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for number in range(400):
        (pages / f"p{number:03d}.html").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "detector", "clean", str(pages), "-o", str(out), "--jobs", "2",
                              "--model", str(tiny_model_path)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    give_up = time.monotonic() + 60
    while not (out.is_dir() and any(out.iterdir())) and time.monotonic() < give_up and batch.poll() is None:
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, stderr = batch.communicate(timeout=60)
    assert batch.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert [line for line in stderr.splitlines() if line] == [
        "detector: interrupted; every output written so far is whole (--skip-existing resumes)"]
