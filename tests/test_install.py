"""A plain `pip install .` cleans HTML pages, with the oldest pip the README allows.

pip 23.2.1 does not resolve lxml's `html_clean` extra, which trafilatura asks for: it
warns and installs lxml without it, and then every HTML page failed with "lxml.html.clean
module is now a separate project lxml_html_clean". detector depends on lxml_html_clean
directly for that. The test builds a fresh virtualenv with that pip, installs the package
(not editable, with all its dependencies, from the package index) and cleans a page with
the installed console script.

It downloads and installs the runtime dependencies (about 50 s here), so it runs only
when DETECTOR_INSTALL_TEST=1; CI sets it (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv

import pytest

from .conftest import ARTICLE, ROOT

OLD_PIP = "23.2.1"

pytestmark = pytest.mark.skipif(
    os.environ.get("DETECTOR_INSTALL_TEST") != "1",
    reason="installs into a fresh virtualenv from the package index (~1 min): set DETECTOR_INSTALL_TEST=1",
)


def _pip(python, *args):
    return subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=600)


def test_plain_install_with_old_pip_cleans_html(tmp_path, tiny_model_path):
    # A copy of what a source distribution holds, so the install builds nothing inside the work tree.
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("detector", "models"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    downgrade = _pip(python, "install", "-q", f"pip=={OLD_PIP}")
    assert downgrade.returncode == 0, downgrade.stderr
    assert f"pip {OLD_PIP} " in _pip(python, "--version").stdout

    install = _pip(python, "install", "-q", str(source))
    assert install.returncode == 0, install.stderr
    typed = subprocess.run([str(python), "-c", "import importlib.resources as r; print(r.files('detector').joinpath('py.typed').is_file())"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert typed.stdout.strip() == "True", typed.stderr  # packaged, so type checkers read the hints

    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    clean = subprocess.run([str(env_dir / "bin" / "detector"), "clean", str(page), "--model", str(tiny_model_path)],
                           capture_output=True, text=True, timeout=120, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": ""})
    assert clean.returncode == 0, clean.stderr
    assert "Kelby council approved 40 million pounds" in clean.stdout
