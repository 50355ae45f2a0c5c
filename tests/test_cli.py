"""The command line: click's CliRunner for behaviour, one real subprocess for the console script."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from detector.cli import main

from .conftest import ARTICLE, tiny_pages



@pytest.fixture()
def pages_dir(tmp_path):
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_text(ARTICLE, encoding="utf-8")
    (root / "sub" / "b.txt.gz").write_bytes(gzip.compress("\n".join(b.text for b in tiny_pages(2)[1].blocks).encode()))
    (root / "broken.html.gz").write_bytes(gzip.compress(ARTICLE.encode())[:40])
    return root


def run(*args, input=None):
    return CliRunner().invoke(main, list(map(str, args)), input=input, catch_exceptions=False)


def test_clean_prints_the_kept_text(tmp_path, tiny_model_path):
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    result = run("clean", page, "--model", tiny_model_path)
    assert result.exit_code == 0, result.output
    assert "Kelby council approved 40 million pounds" in result.output
    assert "Home" not in result.output


def test_clean_folder_writes_mirrored_outputs_and_reports_failures(pages_dir, tmp_path, tiny_model_path):
    out = tmp_path / "out"
    result = run("clean", pages_dir, "-o", out, "--format", "json", "--model", tiny_model_path)
    assert result.exit_code == 1
    assert "broken.html.gz" in result.stderr and "gzip" in result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["a.json", "sub/b.json"]
    record = json.loads((out / "sub" / "b.json").read_text())
    labels = {b["label"] for b in record["blocks"]}
    assert labels <= {"reporting", "filler", "hashtag_spam", "boilerplate"}
    dropped = [b for b in record["blocks"] if not b["kept"]]
    assert dropped and all(b["reason"] for b in dropped)
    assert all(abs(sum(b["probabilities"].values()) - 1) < 1e-3 for b in record["blocks"])
    assert {b["segment"] for b in record["blocks"]} <= {"body", "appendix"}


def test_skip_existing_resumes_without_redoing(pages_dir, tmp_path, tiny_model_path):
    out = tmp_path / "out"
    run("clean", pages_dir / "a.html", "-o", out, "--model", tiny_model_path)
    (out / "a.txt").write_text("finished earlier\n")
    run("clean", pages_dir, "-o", out, "--skip-existing", "--model", tiny_model_path)
    assert (out / "a.txt").read_text() == "finished earlier\n"
    assert (out / "sub" / "b.txt").exists()


def test_jsonl_streams_one_record_per_page_from_stdin(tiny_model_path):
    result = run("clean", "-", "--format", "jsonl", "--model", tiny_model_path, input=ARTICLE)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1 and records[0]["source"] == "<stdin>"


def test_missing_input_fails_but_others_are_written(tmp_path, tiny_model_path):
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    result = run("clean", tmp_path / "nope.html", page, "--model", tiny_model_path)
    assert result.exit_code == 1
    assert "nope.html" in result.stderr
    assert "Kelby council" in result.stdout


def test_usage_errors_exit_2(tmp_path):
    assert run("clean").exit_code == 2
    assert run("clean", "x.html", "--model", "no-such-model").exit_code == 2
    assert run("clean", "x.html", "--format", "jsonl", "-o", tmp_path).exit_code == 2
    assert run("clean", "x.html", "--caution", "-1").exit_code == 2


def test_inspect_shows_labels_and_boundaries(tmp_path, tiny_model_path):
    page = tmp_path / "b.txt"
    page.write_text("\n".join(b.text for b in tiny_pages(2)[1].blocks), encoding="utf-8")
    result = run("inspect", page, "--model", tiny_model_path)
    assert result.exit_code == 0
    assert "post 0 · body" in result.output and "post 0 · appendix" in result.output
    assert "hashtag_spam" in result.output


def test_label_then_train_then_clean_with_the_new_model(tmp_path, tiny_model_path):
    page = tmp_path / "b.txt"
    page.write_text("\n".join(b.text for b in tiny_pages(2)[1].blocks), encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    assert run("label", page, "-o", labelled, "--model", tiny_model_path).exit_code == 0
    assert json.loads(labelled.read_text().splitlines()[0])["blocks"][0]["label"] == "reporting"
    data = tmp_path / "more.jsonl"
    from detector.training.dataset import write_pages

    write_pages(data, tiny_pages(12, seed=4))
    model = tmp_path / "mine.npz"
    heldout = tmp_path / "heldout.jsonl"
    write_pages(heldout, tiny_pages(4, seed=9))
    result = run("train", labelled, data, "-o", model, "--folds", "2", "--heldout", heldout)
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "hashtag_spam" in result.output and "held-out pages" in result.output
    card = json.loads(model.with_name("mine.card.json").read_text())
    assert card["metrics"]["heldout"]["pages"] == 4 and card["metrics"]["cross_validation"]["pages"] == 13
    assert run("clean", page, "--model", model).exit_code == 0
    evaluation = run("evaluate", data, "--model", model, "--format", "json")
    assert json.loads(evaluation.output)["text"]["reporting_kept"] > 0.5


def test_console_script_runs_as_a_real_process(tmp_path, tiny_model_path):
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "detector", "clean", str(page), "--model", str(tiny_model_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Kelby council approved" in done.stdout


def test_corpus_on_a_folder_without_the_data_is_a_one_line_error(tmp_path):
    empty = tmp_path / "not-the-data"
    empty.mkdir()
    result = run("corpus", "--data", empty, "-o", tmp_path / "corpus")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"detector: {empty}/") and "not found" in result.output
    assert not (tmp_path / "corpus").exists()
