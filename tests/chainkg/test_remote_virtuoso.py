"""Remote stores: Debian's Virtuoso Open Source, started for real, holding the seed graph.

The module starts `/usr/bin/virtuoso-t` (package virtuoso-opensource, which scripts/test.sh
installs) with its own virtuoso.ini and database in a temporary folder, bound to 127.0.0.1 on
free ports, sets a fresh dba password with `isql-vt`, pushes the seed graph with `chainkg push`
(Graph Store Protocol, digest auth), runs every named query and the gap analysis there and
compares with the local answers; it stops the server at the end. A missing package fails.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.pipeline import BuildReport
from chainkg.queries import NamedQuery, run_named_query, run_query
from chainkg.remote import RemoteEndpoint, connect, push
from tests.chainkg.test_remote import CLI, _params, _sorted_json, free_port
from tests.helpers import stop_process
from tests.sparql_compare import all_named_queries, comparable

VIRTUOSO_T = Path("/usr/bin/virtuoso-t")
ISQL_VT = Path("/usr/bin/isql-vt")
GRAPH = "https://w3id.org/chainkg/zhuzhou-hitech/graph"

# Named queries whose Virtuoso answer differs from the local one, each with the reason. The
# test checks that they still differ, so a fix (in Virtuoso or in the query) shows up here.
EXPECTED_DIFFERENCES = {
    "list-early-stage-projects": "Virtuoso 7.2.5 takes BOUND(?amount) as true for an "
    "OPTIONAL left unbound in this query, so ?detail reads '投资方:  投资额: ' for projects "
    "without investor or amount (other columns and rows are the same)",
    # Queries added in the gap-diagnosis and registry work, not yet made portable (open work):
    "programs-by-chain": "Virtuoso leaves ?kind and ?quote unbound: the OPTIONAL holding a UNION "
    "with a FILTER NOT EXISTS branch is evaluated differently",
    "zone-parks": "Virtuoso 7.2.5 counts COUNT(DISTINCT ?p) over a second OPTIONAL wrongly "
    "(1 for parks with 0 or 2 projects)",
}


@dataclass
class Virtuoso:
    sparql: str  # the public, read-only SPARQL endpoint
    sparql_auth: str  # the digest-authenticated one (updates, Graph Store Protocol)
    sql_port: int
    password: str


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    db = folder / "db"
    db.mkdir()
    return f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(
                    f"virtuoso-t exited:\n{log.read_text(errors='replace')}"
                ) from None
            time.sleep(0.2)
    raise RuntimeError(f"virtuoso-t did not answer in 90 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    for binary in (VIRTUOSO_T, ISQL_VT):
        if not binary.is_file():
            pytest.fail(
                f"{binary} is missing: install Debian's virtuoso-opensource "
                "(apt-get install virtuoso-opensource; scripts/test.sh does it)"
            )
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_ini(folder, sql_port, http_port), encoding="utf-8")
    log = folder / "virtuoso-t.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(VIRTUOSO_T), "+configfile", str(ini), "+foreground"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait_http(base + "/sparql", process, log)
        password = secrets.token_hex(8)  # a fresh database's dba password is "dba": change it
        changed = subprocess.run(
            [str(ISQL_VT), f"127.0.0.1:{sql_port}", "dba", "dba"],
            input=f"user_set_password('dba', '{password}');\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert changed.returncode == 0 and "Error" not in changed.stdout, changed.stdout
        yield Virtuoso(base + "/sparql", base + "/sparql-auth", sql_port, password)
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, seed_build: BuildReport) -> RemoteEndpoint:
    """The seed graph pushed into one graph by the CLI, as docs/serving.md says."""
    env = {**os.environ, "CHAINKG_USER": "dba", "CHAINKG_PASSWORD": virtuoso.password}
    graph_file = str(seed_build.files["graph.nq"])
    args = ["push", "--endpoint", virtuoso.sparql_auth, "--auth", "digest", "--file", graph_file]
    result = subprocess.run(
        [*CLI, *args, "--graph", GRAPH], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert f"-> {GRAPH}" in result.stdout
    # without --graph: refused with the reason, nothing half-pushed
    refused = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300)
    assert refused.returncode == 2 and "--graph" in refused.stderr, refused.stderr
    return connect(virtuoso.sparql, default_graphs=[GRAPH])


def test_detected_as_virtuoso_without_lateral(pushed: RemoteEndpoint) -> None:
    assert pushed.probe() == ("virtuoso", False)


def test_every_triple_arrived(pushed: RemoteEndpoint, seed_store: ox.Store) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run_query(pushed, text).rows == run_query(seed_store, text).rows


def test_push_again_replaces(
    virtuoso: Virtuoso,
    pushed: RemoteEndpoint,
    seed_build: BuildReport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHAINKG_PASSWORD", virtuoso.password)
    writer = connect(virtuoso.sparql_auth, "dba", "digest")
    assert writer.store_url == virtuoso.sparql_auth.replace("sparql-auth", "sparql-graph-crud-auth")
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run_query(pushed, text).rows
    report = push(writer, seed_build.files["graph.nq"], GRAPH)
    assert report.graphs == {GRAPH: int(before[0][0])}
    assert run_query(pushed, text).rows == before


def test_strings_booleans_and_ask_come_back_right(
    pushed: RemoteEndpoint, seed_store: ox.Store
) -> None:
    """Each of the Virtuoso quirks chainkg.dialects bridges, on a small query."""
    text = (
        'SELECT ?s ?c ?b ?n ?name WHERE { ?e rdfs:label "北汽集团"@zh ; rdfs:label ?l . '
        'FILTER(LANG(?l) = "zh") '
        'BIND(STR(?name) AS ?s) BIND(CONCAT(?l, " → ") AS ?c) '
        "BIND(EXISTS { ?e a ckg:Enterprise } AS ?b) BIND(1 AS ?n) }"
    )
    result = run_query(pushed, text, {"name": "北汽集团"})
    assert result.records() == [
        {"s": "北汽集团", "c": "北汽集团 → ", "b": "true", "n": "1", "name": "北汽集团"}
    ]
    assert result.records() == run_query(seed_store, text, {"name": "北汽集团"}).records()
    assert run_query(pushed, "ASK { ?s a ckg:Enterprise }").boolean is True
    assert run_query(pushed, "ASK { ?s a ckg:NoSuchClass }").boolean is False
    concat = run_query(
        pushed,
        'SELECT (GROUP_CONCAT(?l; SEPARATOR="、") AS ?all) WHERE { '
        '?e rdfs:label ?l . FILTER(?l IN ("北汽集团"@zh, "宁德时代"@zh)) }',
    )
    assert sorted(concat.rows[0][0].split("、")) == ["北汽集团", "宁德时代"]


@pytest.mark.parametrize("query", all_named_queries(), ids=lambda q: q.name)
def test_named_query_on_virtuoso_equals_local(
    pushed: RemoteEndpoint, seed_store: ox.Store, query: NamedQuery
) -> None:
    params = _params(query, seed_store)
    local = comparable(run_named_query(seed_store, query, params), query.text)
    remote = comparable(run_named_query(pushed, query, params), query.text)
    if query.name in EXPECTED_DIFFERENCES:
        assert remote != local, f"{query.name} now agrees: drop it from EXPECTED_DIFFERENCES"
        assert remote[0] == local[0]  # the same columns all the same
    else:
        assert remote == local


def test_gap_analysis_on_virtuoso_equals_local(
    virtuoso: Virtuoso, pushed: RemoteEndpoint, seed_build: BuildReport
) -> None:
    """`chainkg gaps` (LATERAL queries rewritten for Virtuoso) gives the local report."""
    graph = str(seed_build.files["graph.nq"])
    local = subprocess.run(
        [*CLI, "gaps", "-f", "json", "--graph", graph], capture_output=True, text=True, timeout=300
    )
    remote = subprocess.run(
        [*CLI, "gaps", "-f", "json", "--endpoint", virtuoso.sparql, "--default-graph", GRAPH],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    local_report, remote_report = json.loads(local.stdout), json.loads(remote.stdout)
    assert local_report, "the local gap report is empty"
    assert _sorted_json(remote_report) == _sorted_json(local_report)
