"""The chainkg vocabulary as a closed namespace: a typo raises instead of minting a new IRI.

`tests/chainkg/test_vocab.py` checks that these terms and `ontology/chainkg.ttl` define the same
set.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

CKG_IRI = "https://w3id.org/chainkg/def#"
ONTOLOGY_IRI = "https://w3id.org/chainkg/def"


class CKG(DefinedNamespace):
    """Terms of the chainkg ontology (classes, individuals, properties)."""

    _NS = Namespace(CKG_IRI)
    _fail = True

    # Classes and individuals
    About: URIRef
    ActionPlan: URIRef
    Agreement: URIRef
    AssertionMode: URIRef
    Association: URIRef
    Campaign: URIRef
    Ceremony: URIRef
    ChainRole: URIRef
    ChainSegment: URIRef
    City: URIRef
    ClusterFramework: URIRef
    Competition: URIRef
    Completed: URIRef
    Conference: URIRef
    Country: URIRef
    County: URIRef
    CuratorAssertion: URIRef
    DataFlag: URIRef
    Dataset: URIRef
    DeclaredPart: URIRef
    Designation: URIRef
    District: URIRef
    Downstream: URIRef
    Enterprise: URIRef
    Event: URIRef
    Evidence: URIRef
    Exact: URIRef
    Failed: URIRef
    Fair: URIRef
    FeaturedRole: URIRef
    Forum: URIRef
    FrameworkMembership: URIRef
    Fund: URIRef
    GovernmentBody: URIRef
    GovernmentProgram: URIRef
    GroupRole: URIRef
    Implausible: URIRef
    InProduction: URIRef
    Inconsistent: URIRef
    IndustrialChain: URIRef
    InnovationCentre: URIRef
    InvestmentProject: URIRef
    LeadingRole: URIRef
    MainChainRole: URIRef
    Mechanism: URIRef
    MediaOrganization: URIRef
    Meeting: URIRef
    MemberRole: URIRef
    Midstream: URIRef
    Milestone: URIRef
    NationalProgram: URIRef
    OfficeRole: URIRef
    Organization: URIRef
    Over: URIRef
    Park: URIRef
    PartyCommittee: URIRef
    Person: URIRef
    Place: URIRef
    Plan: URIRef
    Planned: URIRef
    Platform: URIRef
    PolicyDocument: URIRef
    Post: URIRef
    PresenceStage: URIRef
    PresentBuilding: URIRef
    PresentProducing: URIRef
    PresentSigned: URIRef
    ProjectStatus: URIRef
    Province: URIRef
    Reform: URIRef
    Region: URIRef
    Relation: URIRef
    ResearchInstitute: URIRef
    Role: URIRef
    Signed: URIRef
    Site: URIRef
    SourceArticle: URIRef
    Stage: URIRef
    StageScheme: URIRef
    Started: URIRef
    StatedInText: URIRef
    Statistic: URIRef
    Strategy: URIRef
    Summit: URIRef
    Training: URIRef
    Under: URIRef
    UnderConstruction: URIRef
    University: URIRef
    Upstream: URIRef
    ValueQualifier: URIRef
    WorkingGroup: URIRef
    Zone: URIRef
    ZonePresence: URIRef

    # Properties
    about: URIRef
    adoptedIn: URIRef
    amountText: URIRef
    amountYuan: URIRef
    assertionMode: URIRef
    benchmarkFor: URIRef
    capacityText: URIRef
    concerns: URIRef
    count: URIRef
    createdBy: URIRef
    curatorNote: URIRef
    customerOf: URIRef
    dateBasis: URIRef
    dateEvidence: URIRef
    dateText: URIRef
    declaredPart: URIRef
    evidence: URIRef
    fileName: URIRef
    flag: URIRef
    flagNote: URIRef
    focalZone: URIRef
    framework: URIRef
    fullText: URIRef
    hasMember: URIRef
    headedBy: URIRef
    holder: URIRef
    inChain: URIRef
    inZone: URIRef
    indicator: URIRef
    investor: URIRef
    investsIn: URIRef
    isBenchmark: URIRef
    issuedBy: URIRef
    landAreaMu: URIRef
    leadsChain: URIRef
    listedOn: URIRef
    locatedIn: URIRef
    member: URIRef
    memberOf: URIRef
    operates: URIRef
    operatesInSegment: URIRef
    order: URIRef
    organizedBy: URIRef
    partOf: URIRef
    participatesIn: URIRef
    partnerOf: URIRef
    period: URIRef
    postIn: URIRef
    postKind: URIRef
    presenceOf: URIRef
    presenceStage: URIRef
    presenceVia: URIRef
    quote: URIRef
    relocatedTo: URIRef
    role: URIRef
    roleText: URIRef
    signedWith: URIRef
    siteKind: URIRef
    source: URIRef
    spunOffFrom: URIRef
    stage: URIRef
    status: URIRef
    statusDate: URIRef
    subsidiaryOf: URIRef
    supplierOf: URIRef
    supports: URIRef
    territory: URIRef
    unit: URIRef
    value: URIRef
    valueQualifier: URIRef
    valueText: URIRef
    year: URIRef
    zoneStage: URIRef

    # Sources of other kinds, panoramas and registry exports
    AddressRule: URIRef
    ChainAlignment: URIRef
    ChangedInZone: URIRef
    ClosedInZone: URIRef
    DerivedAssertion: URIRef
    EnteredZone: URIRef
    FieldChange: URIRef
    IndustryCode: URIRef
    LeftZone: URIRef
    NewFirmListing: URIRef
    Panorama: URIRef
    PanoramaLink: URIRef
    PanoramaStage: URIRef
    Placement: URIRef
    ReferenceCategory: URIRef
    ReferenceStandard: URIRef
    RegistryChange: URIRef
    RegistryExport: URIRef
    SegmentMapping: URIRef
    Source: URIRef
    ZoneEvent: URIRef
    addressKeyword: URIRef
    aligned: URIRef
    basis: URIRef
    businessScope: URIRef
    capitalCurrency: URIRef
    capitalText: URIRef
    category: URIRef
    categoryPath: URIRef
    chain: URIRef
    changeOf: URIRef
    changedField: URIRef
    comparedWith: URIRef
    creditCode: URIRef
    customerCategory: URIRef
    foundedOn: URIRef
    inCategory: URIRef
    industryCode: URIRef
    industryText: URIRef
    keyProduct: URIRef
    legalRepresentative: URIRef
    level: URIRef
    matchKind: URIRef
    partialIndustryCode: URIRef
    placedEntity: URIRef
    placedIn: URIRef
    reason: URIRef
    registeredAddress: URIRef
    registeredCapital: URIRef
    registeredCapitalYuan: URIRef
    registrationStatus: URIRef
    reportedIn: URIRef
    row: URIRef
    rule: URIRef
    supplierCategory: URIRef
    valueAfter: URIRef
    valueBefore: URIRef
    zoneEvent: URIRef


ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES: dict[str, str] = {
    "ckg": CKG_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "sh": "http://www.w3.org/ns/shacl#",
}
