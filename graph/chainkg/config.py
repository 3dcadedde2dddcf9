"""Data-set configuration (`seeds/dataset.toml`) and the project's resource folders."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from chainkg.errors import ResourceMissing, SeedError, SeedProblem

PACKAGE_DIR = Path(__file__).resolve().parent
# Package data: the top-level ontology/, queries/ and seeds/ folders, linked into the package
# (graph/chainkg/ontology -> ../../ontology, ...) so that an installed wheel has them too.
ONTOLOGY_DIR = (PACKAGE_DIR / "ontology").resolve()
QUERIES_DIR = (PACKAGE_DIR / "queries").resolve()
DEFAULT_SEEDS = (PACKAGE_DIR / "seeds").resolve()
DEFAULT_OUT = Path("out")
DATASET_FILE = "dataset.toml"


def package_resource(path: Path, what: str) -> Path:
    """`path` (a file or folder shipped with the package) if it exists; else ResourceMissing
    naming it, never an empty answer."""
    if not path.exists():
        raise ResourceMissing(str(path), what)
    return path


def default_seeds(cwd: Path | None = None) -> tuple[Path, str]:
    """The seeds folder a build uses when none is given, and why: `./seeds` when it holds a
    dataset.toml, else the example data set installed with the package."""
    here = (cwd or Path.cwd()) / "seeds"
    if (here / DATASET_FILE).is_file():
        return here, f"the seeds folder here ({here}, it holds a {DATASET_FILE})"
    packaged = package_resource(DEFAULT_SEEDS / DATASET_FILE, "The example data set").parent
    return packaged, (
        f"the example data set installed with chainkg ({packaged}); no ./seeds/{DATASET_FILE} "
        "here. Pass --seeds DIR to build your own"
    )


@dataclass(frozen=True)
class DatasetConfig:
    """What a seeds folder says about itself."""

    id: str
    title: str
    base_iri: str
    focal_zone: str
    language: str = "zh"
    # [registry] table: store 法定代表人 from registry exports (personal data: off unless set)
    registry_persons: bool = False
    # [registry.columns]: a registry export's own headings -> the standard ones
    registry_columns: tuple[tuple[str, str], ...] = ()


def load_config(seeds_dir: Path, base_iri: str | None = None) -> DatasetConfig:
    """Read `dataset.toml`; `base_iri` overrides the file's base IRI."""
    path = seeds_dir / DATASET_FILE
    if not path.is_file():
        raise SeedError.at(
            path,
            "file not found",
            "Create it with id, title, base_iri and focal_zone (see docs/seed-tables.md)",
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SeedError.at(
            path, f"cannot be read: {exc}", "Fix the TOML syntax and save as UTF-8"
        ) from exc
    missing = [k for k in ("id", "title", "base_iri", "focal_zone") if not raw.get(k)]
    if missing:
        raise SeedError(
            [SeedProblem(str(path), None, k, "missing", "Add this key") for k in missing]
        )
    iri = base_iri or raw["base_iri"]
    if not iri.endswith(("/", "#")):
        raise SeedError.at(path, f"'{iri}' must end in / or #", "Add a trailing slash", "base_iri")
    try:
        ox.NamedNode(iri + "x")  # every IRI of the graph starts with it
    except ValueError as exc:
        raise SeedError.at(path, f"'{iri}' is not an IRI: {exc}", "Fix it", "base_iri") from None
    registry = raw.get("registry", {})
    return DatasetConfig(
        raw["id"],
        raw["title"],
        iri,
        raw["focal_zone"],
        raw.get("language", "zh"),
        bool(registry.get("store_persons", False)),
        tuple(sorted(registry.get("columns", {}).items())),
    )
