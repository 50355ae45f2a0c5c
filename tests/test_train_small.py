"""Training as a person runs it on a few pages of their own, and naming models."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from detector.cli import main
from detector.model import model_dir, resolve_model_path
from detector.training.dataset import write_pages
from detector.types import Label

from .conftest import ARTICLE, tiny_pages


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def _eleven_pages_one_with_filler():
    pages = tiny_pages(22, seed=3)
    plain = [p for p in pages if Label.FILLER not in p.labels][:10]
    with_filler = next(p for p in pages if Label.FILLER in p.labels)
    return plain + [with_filler]


def test_folds_lacking_a_label_are_refused_with_what_to_do(tmp_path):
    data = tmp_path / "mine.jsonl"
    write_pages(data, _eleven_pages_one_with_filler())
    result = run("train", data, "-o", tmp_path / "mine.npz", "--folds", "5", "--jobs", "1")
    assert result.exit_code == 2, result.output
    message = result.stderr.splitlines()[-1]
    assert "fold" in message and "no block labelled filler" in message and "--folds 0" in message
    assert "shape mismatch" not in result.stderr and not (tmp_path / "mine.npz").exists()


def test_training_reports_progress_when_stderr_is_not_a_terminal(tmp_path):
    data = tmp_path / "mine.jsonl"
    write_pages(data, tiny_pages(12, seed=4))
    result = run("train", data, "-o", tmp_path / "mine.npz", "--folds", "2", "--jobs", "1")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("detector train [")]
    assert any("features of 12 pages" in line for line in lines) and len(lines) >= 4


def test_a_model_name_finds_the_working_directorys_models_folder(tmp_path, tiny_model_path, monkeypatch):
    (tmp_path / "models").mkdir()
    shutil.copy(tiny_model_path, tmp_path / "models" / "tiny.npz")
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve_model_path("tiny").resolve() == (tmp_path / "models" / "tiny.npz").resolve()
    result = run("clean", page, "--model", "tiny")
    assert result.exit_code == 0, result.stderr
    assert "Kelby council" in result.stdout
    unknown = run("clean", page, "--model", "tinier")
    assert unknown.exit_code == 2 and "tiny" in unknown.stderr and "default" in unknown.stderr


def test_a_file_or_folder_called_default_does_not_shadow_the_default_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = model_dir() / "default.npz"
    (tmp_path / "default").write_text("not a model")
    assert resolve_model_path("default") == shipped and resolve_model_path(None) == shipped
    (tmp_path / "default").unlink()
    (tmp_path / "default").mkdir()
    assert resolve_model_path("default") == shipped
    (tmp_path / "default.npz").write_text("not a model")  # a path is a path, though
    assert resolve_model_path("./default.npz").resolve() == (tmp_path / "default.npz").resolve()
