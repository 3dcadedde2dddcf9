"""Stage 5 — write the outputs atomically: `write_outputs(quads, out_dir) -> dict[str, Path]`.

`graph.nq` keeps one named graph per source article; `graph.ttl` and `graph.jsonld` hold the
same facts. Each file is written to a temporary file in the same folder, then renamed, so a
failed build never leaves a half-written or missing output behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

import orjson
import pyoxigraph as ox

from chainkg.schema import TABLES
from chainkg.vocab import PREFIXES

_UMASK = os.umask(0)
os.umask(_UMASK)
OUTPUT_FILES = {"nquads": "graph.nq", "turtle": "graph.ttl", "jsonld": "graph.jsonld"}


def atomic_write(path: Path, data: bytes) -> Path:
    """Write bytes to path via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def new_database(path: Path) -> Iterator[sqlite3.Connection]:
    """A new SQLite file for `path`, filled inside the block in one transaction and renamed
    into place when the block succeeds (the previous file stays until then). Written once:
    no rollback journal and no fsync per step, since the rename publishes it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
            with con:
                yield con
        finally:
            con.close()
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compact_json(value: object, sort_keys: bool = False) -> bytes:
    """`value` as compact UTF-8 JSON, the bytes of `json.dumps(value, ensure_ascii=False,
    separators=(",", ":"), sort_keys=sort_keys).encode("utf-8")`: by orjson (several times
    faster; the same bytes for the strings, integers, booleans, lists and string-keyed dicts
    the side tables hold), by `json` for anything orjson declines (e.g. a float subclass)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
        return text.encode("utf-8")


_ENDS = 1 << 20  # bytes of a graph file hashed at each end


def graph_identity(path: Path | str) -> str:
    """What identifies one build's graph, for the side tables written beside it (the name
    index, the gap summary): an on-disk store's RocksDB IDENTITY (new with every store), else
    a graph file's size and the SHA-256 of its first and last MiB — cheap at any size, the
    same for the same bytes, different for two builds of different data."""
    path = Path(path)
    identity = path / "IDENTITY"
    if path.is_dir() and identity.is_file():
        return "store:" + identity.read_text(encoding="utf-8").strip()
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        digest.update(handle.read(_ENDS))
        handle.seek(max(size - _ENDS, 0))
        digest.update(handle.read(_ENDS))
    return f"file:{size}:{digest.hexdigest()}"


class SideTable(Protocol):
    """A file written beside a graph, naming the graphs it was built with."""

    def identities(self) -> set[str]: ...

    def close(self) -> None: ...


S = TypeVar("S", bound=SideTable)


def open_for_graph(
    graph: Path | str,
    name: str,
    open_table: Callable[[Path], S],
    on_stale: Callable[[str], None] | None = None,
) -> S | None:
    """The side table `name` written beside `graph` (a built graph file or store folder) for
    that very graph, opened with `open_table`; None when there is none, or when it names other
    graphs (an older build's: then `on_stale` gets a message saying so)."""
    path = Path(graph).parent / name
    if not path.is_file() or not Path(graph).exists():
        return None
    table = open_table(path)
    if graph_identity(graph) in table.identities():
        return table
    table.close()
    if on_stale is not None:
        on_stale(
            f"{path} was not built with {graph} (an older build's?): not used, SPARQL "
            "answers instead (slower); rebuild with `chainkg build`"
        )
    return None


def unique_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Triples of the quads without repeats, in first-seen order."""
    return list(dict.fromkeys(q.triple for q in quads))


def data_prefixes(base_iri: str) -> dict[str, str]:
    """Vocabulary prefixes plus one prefix per kind of minted IRI (place:, enterprise:, ...)."""
    kinds = [t.rdf_kind for t in TABLES.values()] + ["evidence", "declared-part", "graph"]
    return dict(PREFIXES, data=base_iri, **{k: f"{base_iri}{k}/" for k in kinds})


def serialize_outputs(quads: Sequence[ox.Quad], base_iri: str) -> dict[str, bytes]:
    """The three serializations, in memory (deterministic: quads come in a fixed order)."""
    prefixes = data_prefixes(base_iri)
    triples = unique_triples(quads)
    return {
        OUTPUT_FILES["nquads"]: ox.serialize(dict.fromkeys(quads), format=ox.RdfFormat.N_QUADS),
        OUTPUT_FILES["turtle"]: ox.serialize(
            triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes
        ),
        OUTPUT_FILES["jsonld"]: ox.serialize(
            triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes
        ),
    }


def write_outputs(quads: Sequence[ox.Quad], out_dir: Path, base_iri: str) -> dict[str, Path]:
    """Serialize and write every output file; returns name -> path."""
    files = serialize_outputs(quads, base_iri)
    return {name: atomic_write(Path(out_dir) / name, data) for name, data in files.items()}
