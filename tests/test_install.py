"""A non-editable install works away from the checkout: the wheel carries the ontology, the
shapes, the named queries and the example data set; when one of them is missing the command
says so and how to fix it, instead of answering with nothing.

Offline and quick: the checkout's package files are copied to a temporary folder and installed
with `pip install --no-deps --no-build-isolation` into a fresh venv that sees the running
venv's packages (rdflib, pyoxigraph, ...) through a .pth file.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.report import BuildReport
from tests.helpers import REPO, TINY

# What `pip install .` reads: the project file, its README and the package folders (with the
# links graph/chainkg/{ontology,queries,seeds} -> the top-level folders).
PROJECT_FILES = (
    "pyproject.toml", "README.md", "graph", "viz", "ontology", "queries", "seeds", "reference",
)  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding chainkg installed from a wheel (not editable)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in PROJECT_FILES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(
                path,
                source / name,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"),
            )
        else:
            shutil.copy2(path, source / name)
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The running venv's packages, after the new venv's own (so its chainkg comes first).
    ours = {sysconfig.get_path("purelib"), *site.getsitepackages()}
    Path(purelib, "running_venv.pth").write_text("\n".join(sorted(ours)) + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    result = subprocess.run(
        [*pip, "--no-deps", "--no-build-isolation", "--no-index", str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return env_dir / "bin"


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / "chainkg"), *args], cwd=cwd, capture_output=True, text=True
    )


def installed_package(bin_dir: Path) -> Path:
    code = "import chainkg, pathlib; print(pathlib.Path(chainkg.__file__).parent)"
    result = subprocess.run(
        [str(bin_dir / "python"), "-c", code], capture_output=True, text=True, check=True
    )
    return Path(result.stdout.strip())


@pytest.mark.slow
def test_the_wheel_is_installed_not_linked(installed: Path) -> None:
    package = installed_package(installed)
    assert package.is_relative_to(installed.parent), package
    for data in (
        "ontology/chainkg.ttl",
        "ontology/shapes.ttl",
        "seeds/dataset.toml",
        "ingest/lexicon.toml",
    ):
        assert (package / data).is_file() and not (package / data).is_symlink(), data
    assert len(list((package / "queries").glob("*.rq"))) >= 20


@pytest.mark.slow
def test_build_and_query_from_a_folder_outside_the_checkout(
    installed: Path, tmp_path: Path, seed_build: BuildReport
) -> None:
    result = run(installed, tmp_path, "build", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "example data set installed with chainkg" in result.stdout
    assert "SHACL: conforms" in result.stdout
    # the example data set is the checkout's seeds/: the same graph, byte for byte
    assert (tmp_path / "out" / "graph.nq").read_bytes() == seed_build.files["graph.nq"].read_bytes()
    listed = run(installed, tmp_path, "query", "--list")
    assert listed.returncode == 0, listed.stderr
    assert "chain-leaders" in listed.stdout and "local-supply-rates" in listed.stdout
    answered = run(installed, tmp_path, "query", "chain-leaders", "-f", "csv")
    assert answered.returncode == 0 and "北汽集团" in answered.stdout


@pytest.mark.slow
def test_missing_package_data_is_a_clear_error(installed: Path, tmp_path: Path) -> None:
    package = installed_package(installed)
    shutil.rmtree(package / "queries")
    result = run(installed, tmp_path, "query", "--list")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert str(package / "queries") in message and "Reinstall" in message, result.stderr


def test_build_without_seeds_uses_the_seeds_folder_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(TINY / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["build", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "the seeds folder here" in result.output
    assert "https://example.org/tiny/" in (tmp_path / "out" / "graph.nq").read_text()
