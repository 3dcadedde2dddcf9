"""The W3C SPARQL 1.1 Protocol tests (manifest from w3c/rdf-tests) against `chainkg serve`.

One pytest test per manifest entry. The server holds the manifest's data: data1/2/3.nt each in
the named graph the manifest's `ut:graphData` labels it with (and, as `chainkg serve` always
does, their merge as the default graph). Query requests are checked as the manifest says
(status class, result format, boolean). This endpoint is read-only, so every update request
must be refused (403, "read-only"), and the manifest's follow-up ASK that would see the
update's effect must answer false: nothing changed.

The manifest is read from `../shared/w3c-sparql11-protocol/` beside the repository, as CI lays
it out; a missing folder fails the tests, it never skips them.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from chainkg.server import ChainkgServer, ServeConfig
from chainkg.server.pool import GRAPH_TYPES, SELECT_TYPES
from tests.helpers import REPO

W3C_DIR = REPO.parent / "shared" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[str]  # "2", "3", "4": the status classes allowed
    fmt: str | None
    boolean: bool | None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def is_update(self) -> bool:
        if self.content_type.startswith("application/sparql-update"):
            return True
        form = parse_qs(urlsplit(self.path).query)
        if self.content_type.startswith("application/x-www-form-urlencoded") and self.body:
            form.update(parse_qs(self.body))
        return any(key in form for key in ("update", "using-graph-uri", "using-named-graph-uri"))


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest] = field(default_factory=list)


def _manifest() -> tuple[Graph, URIRef]:
    manifest = W3C_DIR / "manifest.ttl"
    if not manifest.is_file():
        raise FileNotFoundError(
            f"{manifest} is missing: the W3C protocol tests need ../shared beside the repository"
        )
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, root


def load_tests() -> list[ProtocolTest]:
    graph, root = _manifest()
    tests = []
    for entry in Collection(graph, graph.value(root, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, MF.name)))
        action = graph.value(entry, MF.action)
        for req in Collection(graph, graph.value(action, HT.requests)):
            headers = {
                str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
                for h in Collection(graph, graph.value(req, HT.headers) or RDF.nil)
            }
            body_node = graph.value(req, HT.body)
            resp = graph.value(req, HT.resp)
            boolean = graph.value(resp, MF.expectedBoolean)
            fmt = graph.value(resp, MF.expectedFormat)
            test.requests.append(
                ProtocolRequest(
                    method=str(graph.value(req, HT.methodName)),
                    path=str(graph.value(req, HT.absolutePath)),
                    headers=headers,
                    body=None if body_node is None else str(graph.value(body_node, CNT.chars)),
                    statuses={
                        str(s).removeprefix(str(HTS))[len("StatusCode")]
                        for s in graph.objects(resp, MF.expectedStatus)
                    },
                    fmt=None if fmt is None else str(fmt),
                    boolean=None if boolean is None else boolean.toPython(),
                )
            )
        tests.append(test)
    return tests


def data_quads(path: Path) -> None:
    """The manifest's data files as N-Quads, each in the graph its label names."""
    graph, _ = _manifest()
    lines = set()
    for node in graph.objects(None, UT.graphData):
        source = Path(urlsplit(str(graph.value(node, UT.graph))).path)
        name = ox.NamedNode(str(graph.value(node, RDFS.label)))
        for triple in ox.parse(path=str(W3C_DIR / source.name), format=ox.RdfFormat.N_TRIPLES):
            lines.add(str(ox.Quad(triple.subject, triple.predicate, triple.object, name)) + " .")
    path.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


TESTS = load_tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChainkgServer]:
    graph_file = tmp_path_factory.mktemp("w3c") / "graph.nq"
    data_quads(graph_file)
    config = ServeConfig(
        graph=graph_file, port=0, workers=1, fast_workers=0, cache_bytes=0, pages="static"
    )
    with ChainkgServer(config).start() as running:
        yield running


def send(server: ChainkgServer, req: ProtocolRequest) -> tuple[int, str, bytes]:
    host, port = server.socket.getsockname()[:2]
    body = None
    if req.body is not None:
        charset = "utf-8"
        for part in req.content_type.split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip()
        body = req.body.encode(charset)
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(req.method, req.path, body=body, headers=req.headers)
        response = conn.getresponse()
        return response.status, response.headers.get("Content-Type", ""), response.read()
    finally:
        conn.close()


def boolean_of(ctype: str, body: bytes) -> bool:
    media = ctype.split(";")[0]
    fmt = ox.QueryResultsFormat.JSON if "json" in media else ox.QueryResultsFormat.XML
    result = ox.parse_query_results(body, format=fmt)
    assert isinstance(result, ox.QueryBoolean), body
    return bool(result)


def check_format(fmt: str, ctype: str, body: bytes) -> None:
    media = ctype.split(";")[0]
    if fmt == "boolean":
        assert media in SELECT_TYPES and ("json" in media or "xml" in media), ctype
        boolean_of(ctype, body)
    elif fmt == "tabular":
        assert media in SELECT_TYPES, ctype
        solutions = ox.parse_query_results(body, format=SELECT_TYPES[media])
        assert isinstance(solutions, ox.QuerySolutions)
        assert [v.value for v in solutions.variables] and list(solutions)
    else:
        assert fmt == "RDF" and media in GRAPH_TYPES, ctype
        list(ox.parse(body, format=GRAPH_TYPES[media]))


def test_the_manifest_is_read_whole() -> None:
    graph, root = _manifest()
    listed = list(Collection(graph, graph.value(root, MF.entries)))
    assert len(TESTS) == len(listed) == 34
    assert sum(t.name.startswith("query") for t in TESTS) == 13
    assert sum(any(r.is_update() for r in t.requests) for t in TESTS) >= 12


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_protocol(server: ChainkgServer, test: ProtocolTest) -> None:
    refused_update = False
    for req in test.requests:
        status, ctype, body = send(server, req)
        if req.is_update():
            assert status == 403 and b"read-only" in body, (test.title, status, body)
            refused_update = True
            continue
        assert str(status)[0] in req.statuses, (test.title, status, body)
        if req.fmt is not None:
            check_format(req.fmt, ctype, body)
        if req.boolean is not None:
            # after a refused update, the check that would see its effect must not see it
            expected = False if refused_update else req.boolean
            assert boolean_of(ctype, body) is expected, (test.title, body)
