"""Remote stores: push the seed graph into a real Oxigraph server and query it there.

The server is the `oxigraph` PyPI package's own `oxigraph serve`, in memory, bound to
127.0.0.1 on a free port, and stopped at the end of the module.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.dialects import (
    XSD,
    query_shape,
    uses_lateral,
    virtuoso_results,
    virtuoso_strings,
    without_lateral,
)
from chainkg.pipeline import BuildReport
from chainkg.queries import NamedQuery, run_named_query, run_query
from chainkg.remote import Credentials, RemoteEndpoint, RemoteError, connect, push
from chainkg.server.text import with_prefixes
from chainkg.vocab import PREFIXES
from tests.helpers import EXPERTS, command_beside_python, stop_process
from tests.sparql_compare import all_named_queries, comparable

OXIGRAPH = command_beside_python("oxigraph")
CLI = [sys.executable, "-c", "import sys; from chainkg.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                return process, url
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(
                    process.stderr.read().decode() if process.stderr else ""
                ) from None
            time.sleep(0.05)
    stop_process(process)
    raise RuntimeError("oxigraph serve did not start")


def running_oxigraph() -> Iterator[str]:
    process, url = start_oxigraph()
    try:
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def oxigraph_url() -> Iterator[str]:
    yield from running_oxigraph()


@pytest.fixture()
def fresh_oxigraph_url() -> Iterator[str]:
    yield from running_oxigraph()


@pytest.fixture(scope="module")
def pushed(oxigraph_url: str, seed_build: BuildReport) -> RemoteEndpoint:
    endpoint = connect(oxigraph_url + "/query")
    assert endpoint.store_url == oxigraph_url + "/store"
    report = push(endpoint, seed_build.files["graph.nq"])
    assert "(default graph)" in report.graphs and len(report.graphs) > 3
    return endpoint


def count(endpoint: RemoteEndpoint | ox.Store, where: str) -> int:
    return int(run_query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0])


def test_push_copies_every_graph(pushed: RemoteEndpoint, seed_store: ox.Store) -> None:
    assert count(pushed, "?s ?p ?o") == count(seed_store, "?s ?p ?o")
    assert count(pushed, "GRAPH ?g { ?s ?p ?o }") == count(seed_store, "GRAPH ?g { ?s ?p ?o }")
    remote_graphs = run_query(pushed, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    local_graphs = sorted(g.value for g in seed_store.named_graphs())
    assert [r[0] for r in remote_graphs.rows] == local_graphs


def test_push_again_replaces(pushed: RemoteEndpoint, seed_build: BuildReport) -> None:
    before = count(pushed, "GRAPH ?g { ?s ?p ?o }")
    push(pushed, seed_build.files["graph.nq"])
    assert count(pushed, "GRAPH ?g { ?s ?p ?o }") == before


def _params(query: NamedQuery, seed_store: ox.Store) -> dict[str, str]:
    """Real values for a query's required parameters, taken from the data."""
    label = run_query(
        seed_store,
        'SELECT ?l ?t { ?e a ckg:Enterprise , ?t ; rdfs:label ?l FILTER(LANG(?l) = "zh") } '
        "ORDER BY ?l ?t LIMIT 1",
    ).rows[0]
    subject = run_query(
        seed_store,
        "SELECT ?l { ?s a ckg:Statistic ; ckg:about/rdfs:label ?l } ORDER BY ?l LIMIT 1",
    ).rows[0][0]
    segment, entity = run_query(
        seed_store,
        "SELECT ?s ?e { ?e ckg:operatesInSegment ?s ; ckg:supplierOf ?c } ORDER BY ?s ?e LIMIT 1",
    ).rows[0]
    values = {
        "segment": segment,  # IRIs, as these two parameters expect
        "entity": entity,
        "text": label[0][:2],
        "name": label[0],
        "label": label[0],
        "type": label[1],
        "subject": subject,
        "year": "2020",
    }
    return {p: values.get(p, label[0]) for p in query.required_params}


@pytest.mark.parametrize("query", all_named_queries(), ids=lambda q: q.name)
def test_named_query_remote_equals_local(
    pushed: RemoteEndpoint, seed_store: ox.Store, query: NamedQuery
) -> None:
    params = _params(query, seed_store)
    local = run_named_query(seed_store, query, params)
    remote = run_named_query(pushed, query, params)
    assert comparable(remote, query.text) == comparable(local, query.text)
    if query.required_params and query.name != "zone-structure-in-year":
        assert local.rows, f"{query.name}: the sample parameters {params} found nothing"


def test_optional_parameter_bound_remotely(pushed: RemoteEndpoint, seed_store: ox.Store) -> None:
    chain = run_query(seed_store, "SELECT ?c { ?c a ckg:IndustrialChain } ORDER BY ?c LIMIT 1")
    iri = chain.rows[0][0]
    for query in all_named_queries():
        if "chain" in query.params and not query.required_params:
            try:
                local = run_named_query(seed_store, query, {"chain": iri})
            except SyntaxError:
                continue
            remote = run_named_query(pushed, query, {"chain": iri})
            assert comparable(remote, query.text) == comparable(local, query.text), query.name


def test_push_into_one_graph_and_query_it(
    fresh_oxigraph_url: str, seed_build: BuildReport, seed_store: ox.Store
) -> None:
    target = "https://example.org/graphs/zhuzhou"
    report = push(connect(fresh_oxigraph_url + "/query"), seed_build.files["graph.nq"], target)
    assert list(report.graphs) == [target]
    endpoint = connect(fresh_oxigraph_url + "/query", default_graphs=[target])
    assert count(endpoint, "?s ?p ?o") == count(seed_store, "?s ?p ?o")
    bare = connect(fresh_oxigraph_url + "/query")
    assert count(bare, "?s ?p ?o") == 0  # nothing in the store's own default graph
    query = next(q for q in all_named_queries() if q.name == "counts-per-class")
    assert comparable(run_query(endpoint, query.text), query.text) == comparable(
        run_query(seed_store, query.text), query.text
    )


def test_remote_bad_query_reports_the_store_message(pushed: RemoteEndpoint) -> None:
    with pytest.raises(RemoteError, match="HTTP 400"):
        run_query(pushed, "SELECT ?s WHERE { ?s ?p }")


def test_parameters_cannot_inject_sparql(pushed: RemoteEndpoint) -> None:
    query = next(q for q in all_named_queries() if q.name == "enterprise-by-label")
    evil = '"} } ; DROP ALL ; SELECT * { ?s ?p ?o '
    result = run_named_query(pushed, query, {"label": evil, "type": "https://w3id.org/x"})
    assert result.rows == []
    with pytest.raises(ValueError):
        run_named_query(pushed, query, {"label": "x", "type": "<http://a> } ; DROP ALL #>"})
    assert count(pushed, "GRAPH ?g { ?s ?p ?o }") > 1000


def test_credentials_come_from_the_environment() -> None:
    env = {"CHAINKG_USER": "zone", "CHAINKG_PASSWORD": "s3cret"}
    creds = Credentials.from_env(env=env)
    assert creds.header() == "Basic em9uZTpzM2NyZXQ="
    assert Credentials.from_env(env={"CHAINKG_TOKEN": "abc"}).header() == "Bearer abc"
    assert Credentials.from_env("other", "digest", env=env).header() is None


def test_cli_push_query_and_gaps_round_trip(
    fresh_oxigraph_url: str, seed_build: BuildReport
) -> None:
    graph = str(seed_build.files["graph.nq"])
    endpoint = fresh_oxigraph_url + "/query"
    help_text = subprocess.run([*CLI, "push", "--help"], capture_output=True, text=True).stdout
    assert "--password" not in help_text  # secrets never on the command line
    env = {**os.environ, "CHAINKG_USER": "analyst", "CHAINKG_PASSWORD": "from-env"}
    pushed = subprocess.run(
        [*CLI, "push", "--endpoint", endpoint, "--file", graph],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert pushed.returncode == 0, pushed.stderr
    assert "pushed" in pushed.stdout
    for args in (["query", "counts-per-class", "-f", "csv"], ["gaps", "-f", "json"]):
        local = subprocess.run(
            [*CLI, *args, "--graph", graph], capture_output=True, text=True, timeout=300
        )
        remote = subprocess.run(
            [*CLI, *args, "--endpoint", endpoint],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert local.returncode == 0 and remote.returncode == 0, remote.stderr
        if args[-1] == "json":
            assert _sorted_json(json.loads(remote.stdout)) == _sorted_json(json.loads(local.stdout))
        else:
            assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


def _sorted_json(data: object) -> object:
    """JSON with lists sorted and strings of joined parts normalized (engine order may vary)."""
    if isinstance(data, dict):
        return {k: _sorted_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return sorted((_sorted_json(v) for v in data), key=lambda v: json.dumps(v, sort_keys=True))
    return data


def test_cli_reports_an_unreachable_endpoint(tmp_path: Path, seed_build: BuildReport) -> None:
    result = subprocess.run(
        [*CLI, "query", "counts-per-class", "--endpoint", f"http://127.0.0.1:{free_port()}/query"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "failed" in result.stderr


# ---------------------------------------------------------------- dialects (no server needed)


@pytest.fixture(scope="module")
def seeds_and_experts(seed_store: ox.Store) -> ox.Store:
    """The seed graph plus a few expert posts (the seeds name none; list-experts needs rows)."""
    store = ox.Store()
    store.bulk_extend(seed_store.quads_for_pattern(None, None, None, None))
    store.update(EXPERTS, prefixes=PREFIXES)
    return store


@pytest.mark.parametrize(
    "query", [q for q in all_named_queries() if uses_lateral(q.text)], ids=lambda q: q.name
)
def test_portable_form_of_a_lateral_query_gives_the_same_answers(
    seeds_and_experts: ox.Store, query: NamedQuery
) -> None:
    """The SPARQL 1.1 form sent to a store without LATERAL answers like the original."""
    seed_store = seeds_and_experts
    portable = without_lateral(query.text)
    assert not uses_lateral(portable) and "OPTIONAL" in portable
    params = _params(query, seed_store)
    original = run_named_query(seed_store, query, params)
    rewritten = run_named_query(
        seed_store, NamedQuery(query.name, "", portable, query.params), params
    )
    assert original.rows, f"{query.name}: no rows to compare"
    assert comparable(rewritten, portable) == comparable(original, query.text)


def test_lateral_queries_exist_and_other_forms_are_refused() -> None:
    assert sum(uses_lateral(q.text) for q in all_named_queries()) >= 5
    text = 'SELECT * { ?s ?p ?o LATERAL { SELECT ?x { ?s ?q ?x } LIMIT 1 } # LATERAL { "x" }\n}'
    with pytest.raises(ValueError, match="line 1: this store has no LATERAL"):
        without_lateral(text)
    quoted = 'SELECT * { ?s ?p "LATERAL { OPTIONAL {" }'
    assert not uses_lateral(quoted) and without_lateral(quoted) == quoted


def test_virtuoso_strings_typed_by_context() -> None:
    xsd = "<http://www.w3.org/2001/XMLSchema#string>"
    text = (
        'SELECT (GROUP_CONCAT(?l; SEPARATOR="、") AS ?x) { VALUES (?a) { ("中") } '
        'BIND("状" AS ?y) ?s ?p "文" . FILTER(CONTAINS(?l, "配")) ?s ?p "長"@zh . '
        '?s ?p "ascii" } # "注"'
    )
    assert virtuoso_strings(text) == (
        f'SELECT (GROUP_CONCAT(?l; SEPARATOR="、"^^{xsd}) AS ?x) '
        f'{{ VALUES (?a) {{ ("中"^^{xsd}) }} '
        f'BIND(STR("状"^^{xsd}) AS ?y) ?s ?p "文"^^{xsd} . FILTER(CONTAINS(?l, STR("配"^^{xsd}))) '
        '?s ?p "長"@zh . ?s ?p "ascii" } # "注"'
    )


def test_boolean_variables_found_and_virtuoso_answers_normalised() -> None:
    query = next(q for q in all_named_queries() if q.name == "gap-chain-actors")
    booleans, distinct = query_shape(without_lateral(with_prefixes(query.text, PREFIXES)))
    assert booleans >= {"is_enterprise", "leader", "placed", "local"} and distinct
    assert "actor_label" not in booleans
    answer = {
        "head": {"vars": ["local", "n"]},
        "results": {
            "bindings": [
                {
                    "local": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"},
                    "n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"},
                },
                {
                    "local": {"type": "literal", "datatype": XSD + "boolean", "value": "true"},
                    "n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"},
                },
            ]
        },
    }
    fixed = json.loads(virtuoso_results(json.dumps(answer).encode(), frozenset({"local"}), True))
    assert fixed["results"]["bindings"] == [
        {
            "local": {"type": "literal", "datatype": XSD + "boolean", "value": "true"},
            "n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"},
        }
    ]
    ask = {
        "head": {"vars": ["__ASK_RETVAL"]},
        "results": {
            "bindings": [
                {
                    "__ASK_RETVAL": {
                        "type": "typed-literal",
                        "datatype": XSD + "integer",
                        "value": "0",
                    }
                }
            ]
        },
    }
    assert json.loads(virtuoso_results(json.dumps(ask).encode(), frozenset())) == {
        "head": {},
        "boolean": False,
    }


def test_oxigraph_is_probed_as_standard_with_lateral(pushed: RemoteEndpoint) -> None:
    assert pushed.probe() == ("standard", True)
    query = next(q for q in all_named_queries() if q.name == "gap-chain-actors")
    assert "LATERAL" in pushed.prepare(query.text)  # sent as written


def test_push_batches_are_whole_lines_within_the_limit() -> None:
    from chainkg.remote import _batches

    text = b"".join(b"<http://a/%d> <http://b> <http://c> .\n" % i for i in range(5000))
    parts = list(_batches(text, 1000))
    assert b"".join(parts) == text and len(parts) > 100
    assert all(len(p) <= 1000 and p.endswith(b"\n") for p in parts)
    long_line = b"x" * 5000 + b"\n"
    assert list(_batches(long_line + b"y\n", 1000)) == [long_line, b"y\n"]
    assert list(_batches(b"")) == [b""]  # an empty graph is still replaced
