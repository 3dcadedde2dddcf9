"""An on-disk Oxigraph store for graphs too large to load into each worker's memory."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from chainkg.store import FORMATS, with_merged_default_graph

MARKER = ".chainkg-source"


def ensure_disk_store(graph_file: Path, folder: Path) -> Path:
    """Build `folder` from the graph file (with the merged default graph) unless it is current.

    The store is rebuilt when the graph file changed since (size and mtime kept in a marker).
    """
    graph_file, folder = Path(graph_file), Path(folder)
    stamp = f"{graph_file.resolve()} {graph_file.stat().st_size} {graph_file.stat().st_mtime_ns}"
    marker = folder / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return folder
    fmt = FORMATS.get(graph_file.suffix)
    if fmt is None:
        raise ValueError(f"{graph_file}: unknown RDF file extension")
    if folder.exists() and any(folder.iterdir()) and not marker.is_file():
        raise ValueError(f"{folder} exists and is not a chainkg store; choose an empty folder")
    store = ox.Store(str(folder))
    store.clear()
    store.bulk_extend(with_merged_default_graph(ox.parse(path=str(graph_file), format=fmt)))
    store.flush()
    del store
    marker.write_text(stamp, encoding="utf-8")
    return folder
