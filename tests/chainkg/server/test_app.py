"""`chainkg serve`: the read-only SPARQL endpoint, its limits, the query page and the site."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.pipeline import BuildReport
from chainkg.queries import (
    SEARCH_COLUMNS,
    QueryResult,
    list_queries,
    run_query,
    search_result,
    term_text,
)
from chainkg.queries import get_query as named_query
from chainkg.server import ChainkgServer
from chainkg.server.text import with_prefixes, with_values
from chainkg.vocab import PREFIXES
from tests.chainkg.server.serving import http, serving, serving_seeds
from tests.helpers import stop_process
from tests.sparql_compare import TEST_QUERIES, all_named_queries, comparable

COUNT_CLASSES = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
ENTERPRISES = "CONSTRUCT { ?e a ckg:Enterprise ; rdfs:label ?l } WHERE { ?e a ?t ; rdfs:label ?l }"
ENTERPRISES = ENTERPRISES.replace("?t", "ckg:Enterprise")
MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<h1>site index</h1>", encoding="utf-8")
    (site / "chains").mkdir()
    (site / "chains" / "index.html").write_text("<h1>chains</h1>", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def server(seed_build: BuildReport, site_dir: Path) -> Iterator[ChainkgServer]:
    yield from serving_seeds(
        seed_build, workers=2, time_limit=120, max_result_bytes=MAX_BYTES, site_dir=site_dir
    )


def get_query(server: ChainkgServer, query: str, accept: str = "", **extra: str):
    params = urllib.parse.urlencode({"query": query, **extra})
    return http(server, f"/sparql?{params}", headers={"Accept": accept} if accept else {})


def post_form(server: ChainkgServer, fields: dict[str, str], accept: str = ""):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    body = urllib.parse.urlencode(fields).encode()
    return http(server, "/sparql", method="POST", data=body, headers=headers)


def rows_of(body: bytes, fmt: ox.QueryResultsFormat) -> list[list[str]]:
    solutions = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in solutions.variables]
    return [[term_text(s[n]) for n in names] for s in solutions]


@pytest.fixture(scope="module")
def local_counts(seed_store: ox.Store) -> QueryResult:
    return run_query(seed_store, COUNT_CLASSES)


# -- protocol ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("", "application/sparql-results+json", "json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json", "json"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_select_in_every_format(
    server: ChainkgServer, local_counts: QueryResult, method: str, accept: str, media: str, fmt: str
) -> None:
    if method == "GET":
        status, ctype, body = get_query(server, COUNT_CLASSES, accept)
    elif method == "POST form":
        status, ctype, body = post_form(server, {"query": COUNT_CLASSES}, accept)
    else:
        headers = {"Content-Type": "application/sparql-query"}
        if accept:
            headers["Accept"] = accept
        status, ctype, body = http(
            server, "/sparql", method="POST", data=COUNT_CLASSES.encode(), headers=headers
        )
    assert status == 200, body
    assert ctype.split(";")[0] == media
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert table[0] == local_counts.columns
        assert table[1:] == local_counts.rows
    else:
        parsed = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
        rows = rows_of(body, parsed.get(fmt, ox.QueryResultsFormat.TSV))
        assert rows == local_counts.rows
    assert len(local_counts.rows) > 5


def test_format_parameter_overrides_accept(
    server: ChainkgServer, local_counts: QueryResult
) -> None:
    status, ctype, body = get_query(server, COUNT_CLASSES, "application/json", format="csv")
    assert status == 200 and ctype.startswith("text/csv")
    assert body.decode().splitlines()[0] == ",".join(local_counts.columns)
    status, ctype, _ = get_query(server, COUNT_CLASSES, format="text/tab-separated-values")
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    # a format that does not fit the query form (or is unknown) is ignored: Accept decides
    status, ctype, body = get_query(server, COUNT_CLASSES, "text/csv", format="yaml")
    assert status == 200 and ctype.startswith("text/csv")
    status, ctype, body = get_query(server, ENTERPRISES, "application/n-triples", format="json")
    assert status == 200 and ctype.startswith("application/n-triples")
    status, ctype, body = get_query(server, ENTERPRISES, format="json")
    assert status == 200 and ctype.startswith("text/turtle")
    status, ctype, body = get_query(server, ENTERPRISES, format="nt")
    assert status == 200 and ctype.startswith("application/n-triples")


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("", "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_construct_in_every_format(
    server: ChainkgServer, seed_store: ox.Store, method: str, accept: str, media: str, fmt
) -> None:
    expected = set(seed_store.query(ENTERPRISES, prefixes=PREFIXES))
    if method == "GET":
        status, ctype, body = get_query(server, ENTERPRISES, accept)
    else:
        status, ctype, body = post_form(server, {"query": ENTERPRISES}, accept)
    assert status == 200, body
    assert ctype.split(";")[0] == media
    got = {q.triple for q in ox.parse(body, format=fmt)}
    assert got == expected and len(expected) > 10


def test_describe_and_ask(server: ChainkgServer, seed_store: ox.Store) -> None:
    enterprise = next(
        iter(seed_store.query("SELECT ?e { ?e a ckg:Enterprise }", prefixes=PREFIXES))
    )
    iri = enterprise["e"].value
    status, ctype, body = get_query(server, f"DESCRIBE <{iri}>", "application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    assert any(
        q.subject == ox.NamedNode(iri) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    )
    status, _, body = get_query(server, f"ASK {{ <{iri}> a ckg:Enterprise }}")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get_query(server, "ASK { <urn:x:none> a ckg:Enterprise }")
    assert json.loads(body)["boolean"] is False


def test_named_graph_parameters(server: ChainkgServer, seed_store: ox.Store) -> None:
    graphs = sorted(g.value for g in seed_store.named_graphs())
    one = graphs[0]
    local = run_query(
        seed_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}"
    )
    status, _, body = get_query(
        server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": one}
    )
    assert status == 200
    assert rows_of(body, ox.QueryResultsFormat.JSON) == local.rows


def test_not_acceptable_and_unsupported_media(server: ChainkgServer) -> None:
    status, _, body = get_query(server, COUNT_CLASSES, "image/png")
    assert status == 406 and b"text/csv" in body
    status, _, _ = http(
        server, "/sparql", method="POST", data=b"{}", headers={"Content-Type": "application/json"}
    )
    assert status == 415
    status, _, body = http(server, "/sparql")
    assert status == 400 and b"query" in body


@pytest.mark.parametrize(
    "query", [q for q in all_named_queries() if not q.required_params], ids=lambda q: q.name
)
def test_named_queries_through_the_endpoint(
    server: ChainkgServer, seed_store: ox.Store, query
) -> None:
    """The named queries without parameters run as written (preset prefixes, merged default
    graph); those with parameters: test_query_page_binds_parameters_as_values."""
    local = run_query(seed_store, query.text)
    status, _, body = post_form(server, {"query": query.text}, "application/sparql-results+json")
    assert status == 200, body
    data = json.loads(body)
    if "boolean" in data:
        assert data["boolean"] == local.boolean
        return
    remote = QueryResult(
        data["head"]["vars"],
        [
            [b.get(v, {}).get("value", "") for v in data["head"]["vars"]]
            for b in data["results"]["bindings"]
        ],
    )
    assert comparable(remote, query.text) == comparable(local, query.text)


# -- read-only, federation, limits, errors -----------------------------------------------------


def count_all(server: ChainkgServer) -> str:
    status, _, body = get_query(server, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200
    return rows_of(body, ox.QueryResultsFormat.JSON)[0][0]


@pytest.mark.parametrize(
    "request_kind",
    ["update form", "update body", "update as query", "delete as query", "PUT", "POST /update"],
)
def test_update_is_refused(server: ChainkgServer, request_kind: str) -> None:
    before = count_all(server)
    update = "PREFIX ex: <http://example.org/> INSERT DATA { GRAPH ex:g { ex:a ex:b ex:c } }"
    if request_kind == "update form":
        status, _, body = post_form(server, {"update": update})
    elif request_kind == "update body":
        status, _, body = http(
            server,
            "/sparql",
            method="POST",
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
    elif request_kind == "update as query":
        status, _, body = get_query(server, update)
    elif request_kind == "delete as query":
        status, _, body = post_form(server, {"query": "DELETE WHERE { ?s ?p ?o }"})
    elif request_kind == "PUT":
        status, _, body = http(
            server,
            "/store?default",
            method="PUT",
            data=b"<http://a> <http://b> <http://c> .",
            headers={"Content-Type": "application/n-triples"},
        )
    else:
        status, _, body = http(
            server,
            "/update",
            method="POST",
            data=urllib.parse.urlencode({"update": update}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert status == 403
    assert b"read-only" in body
    assert count_all(server) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <https://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { ?x ?y ?z .SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://a> } }",
        "# SERVICE in a comment, then for real\nSELECT * { SERVICE <http://a/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(server: ChainkgServer, query: str) -> None:
    status, _, body = get_query(server, query)
    assert status == 403
    assert b"SERVICE" in body


def test_service_word_in_data_is_not_refused(server: ChainkgServer) -> None:
    query = (
        'SELECT ?x { BIND("SERVICE <http://a> { }" AS ?x) FILTER(?x != <urn:SERVICE>) } # SERVICE'
    )
    status, _, body = get_query(server, query)
    assert status == 200, body


@pytest.fixture()
def strict_server(seed_build: BuildReport) -> Iterator[ChainkgServer]:
    """A one-worker server with a short time limit."""
    with serving(seed_build.files["graph.nq"], time_limit=1.0) as running:
        yield running


def test_time_limit_stops_a_slow_query_and_the_next_one_works(
    strict_server: ChainkgServer, local_counts: QueryResult
) -> None:
    slow = (TEST_QUERIES / "slow-cross-join.rq").read_text(encoding="utf-8")
    status, _, body = get_query(strict_server, slow)
    assert status == 503
    assert b"time limit of 1 s" in body
    for _ in range(3):  # the only worker was killed: its replacement answers
        status, _, body = get_query(strict_server, COUNT_CLASSES)
        assert status == 200, body
        assert rows_of(body, ox.QueryResultsFormat.JSON) == local_counts.rows


def test_result_size_limit(server: ChainkgServer) -> None:
    status, _, body = get_query(server, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "text/csv")
    assert status == 422
    assert f"more than {MAX_BYTES} bytes".encode() in body
    status, _, body = get_query(
        server, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10", "text/csv"
    )
    assert status == 200 and len(body.decode().splitlines()) == 11


def test_bad_query_gets_400_with_the_parser_message(server: ChainkgServer) -> None:
    status, ctype, body = get_query(server, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400 and ctype.startswith("text/plain")
    assert body.startswith(b"Bad query: error at 1:")
    status, _, _ = get_query(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert status == 200


# -- query page, site ------------------------------------------------------------------------


def test_query_page_is_self_contained(server: ChainkgServer) -> None:
    status, ctype, body = http(server, "/")
    assert status == 200 and ctype.startswith("text/html")
    html = body.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/query.js" in refs and "/static/query.css" in refs
    assert not [r for r in refs if "//" in r], "the page must not load anything from elsewhere"
    for ref in ("/static/query.js", "/static/query.css"):
        status, _, asset = http(server, ref)
        assert status == 200 and b"http://" not in asset and b"https://" not in asset
    request = urllib.request.Request(server.url + "/")
    with urllib.request.urlopen(request) as response:
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_query_page_lists_the_named_queries(server: ChainkgServer) -> None:
    status, _, body = http(server, "/api/queries")
    assert status == 200
    listed = json.loads(body)
    assert [q["name"] for q in listed] == [q.name for q in list_queries()]
    assert all(q["summary"] and q["text"] for q in listed)


def bind(server: ChainkgServer, query: str, params: dict[str, str]) -> tuple[int, bytes]:
    """POST /api/bind: (status, body)."""
    body = json.dumps({"query": query, "params": params}).encode()
    headers = {"Content-Type": "application/json"}
    status, _, answer = http(server, "/api/bind", method="POST", data=body, headers=headers)
    return status, answer


def test_query_page_binds_parameters_as_values(server: ChainkgServer, seed_store: ox.Store) -> None:
    query = (TEST_QUERIES / "enterprise-by-label.rq").read_text(encoding="utf-8")
    row = run_query(
        seed_store, "SELECT ?e ?l ?t { ?e a ckg:Enterprise , ?t ; rdfs:label ?l } LIMIT 1"
    ).rows[0]
    params = {"label": row[1], "type": row[2]}
    local = run_query(seed_store, query, params)
    status, answer = bind(server, query, params)
    assert status == 200
    bound = json.loads(answer)["query"]
    assert "VALUES ?type" in bound
    status, _, result = post_form(server, {"query": bound})
    assert status == 200
    rows = rows_of(result, ox.QueryResultsFormat.JSON)
    assert rows == local.rows and rows
    assert bind(server, query, {"type": "<http://a b>"})[0] == 400


def test_static_site_is_served(server: ChainkgServer) -> None:
    assert http(server, "/site/")[2] == b"<h1>site index</h1>"
    assert http(server, "/site/chains/")[2] == b"<h1>chains</h1>"
    assert http(server, "/site/../../../etc/passwd")[0] == 404
    assert http(server, "/static/../server/app.py")[0] == 404


# -- the SPARQL text helpers -----------------------------------------------------------------


def test_text_helpers() -> None:
    text = "PREFIX ckg: <http://other#>\nSELECT * WHERE { ?s ?p ?o }"
    prefixed = with_prefixes(text, PREFIXES)
    assert prefixed.count("PREFIX ckg:") == 1 and "PREFIX rdfs:" in prefixed
    bound = with_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }', {"o": ox.Literal('a"b\n{')})
    assert bound == 'CONSTRUCT { ?s ?p "{" } WHERE { VALUES ?o { "a\\"b\\n{" }  ?s ?p ?o }'


# -- the command -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command_starts_and_stops(seed_build: BuildReport, tmp_path: Path) -> None:
    port = free_port()
    cmd = [
        sys.executable, "-c", "import sys; from chainkg.cli import main; sys.exit(main())", "serve",
        "--graph", str(seed_build.files["graph.nq"]),
        "--port", str(port), "--workers", "1", "--disk", str(tmp_path / "store"),
    ]  # fmt: skip
    process = subprocess.Popen(cmd, stderr=subprocess.PIPE, env={**os.environ})
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as response:
                    assert response.read() == b"ok\n"
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s a ckg:Enterprise }"})
        with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=30) as response:
            count = rows_of(response.read(), ox.QueryResultsFormat.JSON)[0][0]
        assert int(count) > 10
        assert (tmp_path / "store").is_dir()
    finally:
        stop_process(process, 15)


def test_query_page_resolves_entity_parameters(server: ChainkgServer) -> None:
    query = named_query("chain-leaders").text
    status, answer = bind(server, query, {"chain": "新能源汽车产业链"})
    assert status == 200
    bound = json.loads(answer)["query"]
    assert "VALUES ?chain { <https://w3id.org/chainkg/zhuzhou-hitech/chain/nev> }" in bound
    status, _, result = post_form(server, {"query": bound})
    assert status == 200 and "北汽集团" in result.decode("utf-8")
    status, text = bind(server, query, {"chain": "不存在的链"})
    assert status == 400 and "names no IndustrialChain" in text.decode("utf-8")


def test_entity_search_answers_from_the_name_index(server: ChainkgServer) -> None:
    """/api/search reads the index the build wrote beside the graph: the rows `chainkg query
    entity-search` gives from it, paged, with the total; unknown names are resolved there."""
    assert server.index is not None
    query = urllib.parse.urlencode({"text": "电机", "limit": 2, "offset": 1})
    status, _, body = http(server, f"/api/search?{query}")
    assert status == 200
    page = json.loads(body)
    whole = search_result(server.index, "电机")
    assert page["columns"] == SEARCH_COLUMNS and page["total"] == whole.total > 3
    assert page["rows"] == whole.rows[1:3] and page["offset"] == 1
    assert all("电机" in row[2] for row in page["rows"])
    assert http(server, "/api/search?text=")[0] == 400
    assert http(server, "/api/search?text=abc&limit=x")[0] == 400


def test_serve_flags_default_to_the_server_config() -> None:
    """`chainkg serve`'s limit flags (cli/serve_limits.toml) name ServeConfig fields and give
    their defaults: the command and the library agree."""
    from dataclasses import fields

    from chainkg.cli.serve import LIMITS
    from chainkg.server import ServeConfig

    defaults = {f.name: f.default for f in fields(ServeConfig)}
    assert LIMITS and set(LIMITS) <= set(defaults)
    assert {name: default for name, (_flag, default, _help) in LIMITS.items()} == {
        name: defaults[name] for name in LIMITS
    }
