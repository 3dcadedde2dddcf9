"""The store checks of `chainkg.validate.validate_store` on hand-made graphs: each kind of
check still reports its planted violation, whether a probe over the path alone, a scan or
per-node lookups answer it (sample=0 leaves the SPARQL checks alone); then the pyshacl
sample: what it reads of the store, and that pyshacl checks its focus nodes alone."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from chainkg import validate
from chainkg.mapping import ASSEMBLY_GUARANTEES, ontology_quads

CKG = rdflib.Namespace("https://w3id.org/chainkg/def#")
PREFIXES = """@prefix ckg: <https://w3id.org/chainkg/def#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# conforms for every check the guarantees leave to the store checks
VALID = """
ex:e1 a ckg:Enterprise ; ckg:foundedOn "2020-01-02"^^xsd:date ; ckg:creditCode "91430200"
    ; ckg:registeredCapitalYuan 1000.5 ; ckg:locatedIn ex:park .
ex:e2 a ckg:Enterprise ; ckg:locatedIn ex:park .
ex:park a ckg:Park .
ex:s1 a ckg:Statistic ; ckg:about ex:e1 ; ckg:value 3.0 ; ckg:unit "家" ; ckg:valueText "3家" ;
    ckg:indicator ex:i1 , ex:i2 ; ckg:year "2023"^^xsd:gYear .
"""
PLANTED = [  # (focus node, words of the report line, triples added to VALID)
    pytest.param(
        "ex:e2",
        "count outside [0, 1]",
        'ex:e2 ckg:foundedOn "2020-01-02"^^xsd:date , "2021-03-04"^^xsd:date .',
        id="two founding dates",
    ),
    pytest.param("ex:e2", "value:", "ex:e2 ckg:locatedIn ex:e1 .", id="in an enterprise"),
    pytest.param(
        "ex:s2",
        "count outside [1, 1]",
        "ex:s2 a ckg:Statistic ; ckg:value 1.0 ;"
        ' ckg:unit "家" ; ckg:valueText "1家" ; ckg:indicator ex:i1 , ex:i2 .',
        id="a statistic about nothing",
    ),
    pytest.param(
        "ex:s2",
        "count outside [2, *]",
        "ex:s1 ckg:indicator ex:i3 . ex:s2 a"
        ' ckg:Statistic ; ckg:about ex:e1 ; ckg:value 1.0 ; ckg:unit "家" ;'
        ' ckg:valueText "1家" ; ckg:indicator ex:i1 .',
        id="one indicator",
    ),
    pytest.param(
        "ex:s1", "count outside [0, 1]", 'ex:s1 ckg:year "2024"^^xsd:gYear .', id="a second year"
    ),
    pytest.param(
        "ex:e2",
        "count outside [0, 1]",
        "ex:e2 ckg:zoneStage ckg:PresentProducing , ckg:PresentBuilding .",
        id="two stages in the zone",
    ),
    pytest.param("ex:e2", "value:", "ex:e2 ckg:zoneStage ckg:Upstream .", id="not a stage"),
]


def _store(turtle: str) -> ox.Store:
    """The turtle and the ontology, as the large build's store holds it."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ontology_quads())
    store.load((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    return store


def _validate(store: ox.Store) -> validate.ValidationReport:
    return validate.validate_store(store, sample=0, guaranteed=ASSEMBLY_GUARANTEES)


def test_the_hand_made_graph_conforms() -> None:
    result = _validate(_store(VALID))
    assert result.conforms, result.text


@pytest.mark.parametrize("lookup_rows", [0, 10**9], ids=["scans", "lookups"])
@pytest.mark.parametrize(("node", "what", "extra"), PLANTED)
def test_each_planted_violation_is_reported(
    node: str, what: str, extra: str, lookup_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "LOOKUP_ROWS", lookup_rows)
    result = _validate(_store(VALID + extra))
    assert not result.conforms
    full = node.replace("ex:", "https://example.org/")
    assert any(line.startswith(full) and what in line for line in result.text.splitlines()), (
        result.text
    )


# Values the row mapping cannot write (a registry field's datatype is fixed by
# construction, `mapping.ASSEMBLY_GUARANTEES`): the large build leaves them to the sample
GUARANTEED = [
    pytest.param('ex:e2 ckg:foundedOn "2020-01-02" .', id="date as text"),
    pytest.param("ex:e2 ckg:creditCode ex:code .", id="code as an IRI"),
]


@pytest.mark.parametrize("lookup_rows", [0, 10**9], ids=["scans", "lookups"])
@pytest.mark.parametrize("extra", GUARANTEED)
def test_a_guaranteed_datatype_broken_is_found_by_the_full_check_and_the_sample(
    extra: str, lookup_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "LOOKUP_ROWS", lookup_rows)
    store = _store(VALID + extra)
    full = validate.validate_store(store, sample=0)  # --full-shacl
    assert not full.conforms
    assert any(
        line.startswith("https://example.org/e2") and "value:" in line
        for line in full.text.splitlines()
    ), full.text
    assert _validate(store).conforms  # the compiled checks leave it to the sample ...
    sampled = validate.validate_store(store, sample=50, guaranteed=ASSEMBLY_GUARANTEES)
    assert not sampled.conforms  # ... which finds it


def test_a_probe_hit_on_another_class_is_no_violation() -> None:
    """The probes look at the path over every subject: a Person with two founding dates
    makes the Enterprise checks run, and they find nothing."""
    turtle = 'ex:p a ckg:Person ; ckg:foundedOn "2020-01-02" , "2021-01-02" .'
    store = _store(VALID + turtle)
    checks, _ = validate.compile_shapes()
    probes = [
        c.probe
        for c in checks
        if c.target.endswith("#Enterprise") and c.path.endswith("#foundedOn") and c.probe
    ]
    assert len(probes) == 2 and all(store.query(p, prefixes=validate.PREFIXES) for p in probes)
    assert _validate(store).conforms


def test_probes_answer_the_checks_of_a_valid_graph() -> None:
    """On the valid graph, the probes leave no value or maximum-count check to run."""
    store = _store(VALID)
    checks, _ = validate.compile_shapes()
    checks = [c for c in checks if not validate.is_guaranteed(c, ASSEMBLY_GUARANTEES)]
    sizes = {t: validate._count(store, f"?s a <{t}>") for t in {c.target for c in checks}}
    answered = validate._nothing_to_find(store, checks, sizes)
    left = [c for i, c in enumerate(checks) if i not in answered]
    assert left and all(not c.probe for c in left)
    assert not [c for c in left if c.target.endswith("#Enterprise")]  # values, maxima only


def test_the_sample_is_each_focus_nodes_triples_with_its_objects_types() -> None:
    """`_sample_graph` reads what this CONSTRUCT answers (and the ontology), for up to
    `sample` nodes of each target class."""
    store = _store(VALID)
    graph, focus = validate._sample_graph(store, validate.SHAPES_FILE, 1)
    enterprises = [
        f for f in focus if str(f) in ("https://example.org/e1", "https://example.org/e2")
    ]
    assert len(enterprises) == 1  # one per class
    assert {"https://example.org/park", "https://example.org/s1"} <= {str(f) for f in focus}
    values = " ".join(f"<{f}>" for f in focus)
    construct = (
        "CONSTRUCT { ?s ?p ?o . ?o a ?t . ?t rdfs:subClassOf ?u } WHERE { "
        f"VALUES ?s {{ {values} }} ?s ?p ?o "
        "OPTIONAL { ?o a ?t OPTIONAL { ?t rdfs:subClassOf ?u } } }"
    )
    expected = validate.to_rdflib(store.query(construct, prefixes=validate.PREFIXES))
    expected.parse(validate.ONTOLOGY_FILE, format="turtle")
    assert set(graph) == set(expected)
    # the Statistic's object ex:e1 comes with its type, sampled or not
    assert (rdflib.URIRef("https://example.org/e1"), rdflib.RDF.type, CKG.Enterprise) in graph


FOCUS_CASE = """
@prefix ckg: <https://w3id.org/chainkg/def#> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ckg:Enterprise ; rdfs:label "甲公司"@zh ; ckg:evidence ex:ev .
ex:ev a ckg:Evidence .
ex:b a ckg:Enterprise .
"""


@pytest.mark.parametrize(
    ("focus", "reported"), [(["a"], set()), (["a", "b"], {"b"}), (["b"], {"b"})]
)
def test_pyshacl_checks_the_focus_nodes_alone(focus: list[str], reported: set[str]) -> None:
    """The sample's objects are typed but not described (ex:ev here; ex:b when outside the
    focus): only the focus nodes are validated."""
    data = rdflib.Graph().parse(data=FOCUS_CASE, format="turtle")
    nodes = [rdflib.URIRef(f"https://example.org/{f}") for f in focus]
    conforms, report, _text = validate._pyshacl(data, validate.SHAPES_FILE, nodes)
    sh = rdflib.Namespace(validate.SH)
    found = {str(n).rsplit("/", 1)[1] for n in report.objects(None, sh.focusNode)}
    assert conforms == (not reported) and found == reported
