"""Presence in the focal zone — the one definition of "local": `zone_presence(seeds)`.

An enterprise or organization is present in the data set's focal zone
- where it is located (its row's `located_in`, or a `located_in` relation, is the zone or a
  place inside it): producing;
- where its registered address places it, by the data set's address rules, while it is
  registered and operating (a registry row, `registered_in_zone`; for a firm that no
  enterprises row locates): producing, like its own row's place;
- through a site there (`sites.csv`: 基地, 工厂, 产业园, branch): the site's status;
- through an investment project there (`projects.csv`, `site` in the zone): its status;
- through a subsidiary present there (`subsidiary_of`): the subsidiary's stage.

Statuses map to three stages (`STAGE_OF_STATUS`): 在产 producing (in production, completed,
or a located site with no status), 在建 building (started, under construction), 已签约 signed
(signed, or placed in the zone with no status printed). Planned and failed projects make no
presence. An actor's stage is the most advanced of its presences.

What a registry export's changes mean for the zone builds on it (`zone_events`: a firm that
entered, left or closed, or changed), written as `ckg:zoneEvent` on each change.

The mapping writes the result as `ckg:zoneStage` on the actor (every query, report and view
reads that one property) and, for actors not located in the zone by their own row, one
`ckg:ZonePresence` node naming the row it rests on, with that row's quotes as evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from chainkg.registry import (
    ADDRESS,
    STATUS,
    AddressRule,
    FormerName,
    RegistryRecord,
    is_active,
    place_by_address,
)
from chainkg.tables import Seeds, shared, split_multi

PRODUCING, BUILDING, SIGNED = "producing", "building", "signed"
STAGE_ORDER = {PRODUCING: 1, BUILDING: 2, SIGNED: 3}
STAGE_OF_STATUS = {
    "in_production": PRODUCING,
    "completed": PRODUCING,
    "started": BUILDING,
    "under_construction": BUILDING,
    "signed": SIGNED,
    "": SIGNED,
}
SITE_STAGE_WITHOUT_STATUS = PRODUCING  # a site located in the zone, no status printed


@dataclass(frozen=True)
class PresenceBasis:
    """Why an actor is present: the stage, and the row (table, id) and entity it rests on."""

    stage: str
    table: str
    row_id: str
    via: str  # entity id: the site, project, subsidiary or place

    def key(self) -> tuple[int, str, str]:
        return (STAGE_ORDER[self.stage], self.table, self.row_id)


def places_in_zone(seeds: Seeds) -> set[str]:
    """The focal zone and every place inside it (`part_of`, transitively)."""
    zone = seeds.config.focal_zone
    places = seeds.tables.get("places")
    if places is None:
        return {zone}
    parent = dict(zip(places["id"].tolist(), places["part_of"].tolist(), strict=True))
    inside = {zone}
    for place in parent:
        seen: list[str] = []
        at = place
        while at and at not in inside and at not in seen:
            seen.append(at)
            at = parent.get(at, "")
        if at in inside:
            inside.update(seen)
    return inside


def _rows(seeds: Seeds, table: str, *columns: str) -> Iterator[tuple[str, ...]]:
    """The id and the named columns of each row of a seed table (none if it is absent)."""
    frame = seeds.tables.get(table)
    if frame is None:
        return iter(())
    return zip(*(frame[name].tolist() for name in ("id", *columns)), strict=True)


def located_in_zone(seeds: Seeds, zone_places: set[str]) -> set[str]:
    """Actors whose own row places them in the zone, or their registered address
    (`registered_in_zone`)."""
    return {
        actor
        for table in ("enterprises", "organizations")
        for actor, place in _rows(seeds, table, "located_in")
        if place in zone_places
    } | registered_in_zone(seeds, zone_places)


def registry_firm(seeds: Seeds, source: str, record: RegistryRecord) -> str:
    """The enterprise id of a registry row: the enterprises row it matched, else a new
    `uscc-<credit code>` (the mapping's `{base}enterprise/uscc-...`)."""
    matched = seeds.registry_matches.get((source, record.row))
    return matched or f"uscc-{record.credit_code.lower()}"


def former_aliases(seeds: Seeds, source: str, record: RegistryRecord) -> tuple[FormerName, ...]:
    """The names earlier exports gave the firm of a registry row (`registry.latest_rows`)
    that it does not have already: written as its aliases, each from its own row. A firm
    matched to an enterprises row keeps that row's name and aliases."""
    former = seeds.registry_former_names.get((source, record.row), ())
    matched = seeds.registry_matches.get((source, record.row))
    if not former or matched is None:
        return former
    known = _curated_names(seeds).get(matched, frozenset())
    return tuple(f for f in former if f.name not in known)


@shared
def _curated_names(seeds: Seeds) -> dict[str, frozenset[str]]:
    frame = seeds.tables["enterprises"]
    aliases = frame["aliases"] if "aliases" in frame.columns else [""] * len(frame)
    return {
        row_id: frozenset([label, *split_multi(more)])
        for row_id, label, more in zip(frame["id"], frame["label_zh"], aliases, strict=True)
    }


@shared
def registry_addresses(seeds: Seeds) -> dict[tuple[str, int], tuple[AddressRule, str]]:
    """(source, row) of each registry row whose registered address an address rule places
    -> that rule and the keyword found; rows of firms an enterprises row locates are left
    out (the curated place stands)."""
    if not seeds.has_registry_rows:
        return {}
    rules = [AddressRule.from_row(row) for _line, row in seeds.rows("address_rules")]
    located = {a for a, place in _rows(seeds, "enterprises", "located_in") if place}
    found: dict[tuple[str, int], tuple[AddressRule, str]] = {}
    for source, registry_file in sorted(seeds.registry.items()):
        for record in registry_file.records:
            if seeds.registry_matches.get((source, record.row)) in located:
                continue
            hit = place_by_address(record.address, rules)
            if hit:
                found[(source, record.row)] = hit
    return found


@shared
def registered_places(seeds: Seeds) -> frozenset[tuple[str, str]]:
    """(firm id, place) where a registered address puts a firm (`registry_addresses`) that
    is registered and operating (`registry.is_active`); in the zone, it is present there
    (`registered_in_zone`)."""
    placed = registry_addresses(seeds)
    return frozenset(
        (registry_firm(seeds, source, record), placed[(source, record.row)][0].place)
        for source, registry_file in seeds.registry.items()
        for record in registry_file.records
        if (source, record.row) in placed and is_active(record.status)
    )


def registered_in_zone(seeds: Seeds, zone_places: set[str]) -> set[str]:
    """Firms located in the zone by their registered address while registered and
    operating (`registered_places`)."""
    return {firm for firm, place in registered_places(seeds) if place in zone_places}


def zone_presence(seeds: Seeds, zone_places: set[str] | None = None) -> dict[str, PresenceBasis]:
    """The best presence basis of every actor present in the zone other than by its own
    row's location, keyed by actor id (sorted)."""
    zone_places = places_in_zone(seeds) if zone_places is None else zone_places
    own = located_in_zone(seeds, zone_places)
    # by `_rows` (tolist): iterating a pandas string column boxes each cell (1M: 1.9 CPU-s)
    agents = {a for t in ("enterprises", "organizations") for (a,) in _rows(seeds, t)}
    best: dict[str, PresenceBasis] = {}

    def offer(actor: str, basis: PresenceBasis) -> None:
        if actor in own or actor not in agents:
            return
        if actor not in best or basis.key() < best[actor].key():
            best[actor] = basis

    subsidiaries: list[tuple[str, str, str]] = []
    for rid, subject, predicate, obj in _rows(seeds, "relations", "subject", "predicate", "object"):
        if predicate == "located_in" and obj in zone_places:
            offer(subject, PresenceBasis(PRODUCING, "relations", rid, obj))
        elif predicate == "subsidiary_of":
            subsidiaries.append((rid, subject, obj))
    for sid, owner, place, status in _rows(seeds, "sites", "owner", "located_in", "status"):
        stage = STAGE_OF_STATUS.get(status) if status else SITE_STAGE_WITHOUT_STATUS
        if place in zone_places and stage:
            offer(owner, PresenceBasis(stage, "sites", sid, sid))
    for pid, investor, place, status in _rows(seeds, "projects", "investor", "site", "status"):
        stage = STAGE_OF_STATUS.get(status)
        if investor and place in zone_places and stage:
            offer(investor, PresenceBasis(stage, "projects", pid, pid))
    # Parents through subsidiaries, until nothing changes (chains of subsidiaries).
    changed = True
    while changed:
        changed = False
        for rid, sub, parent in subsidiaries:
            if sub in own:
                stage = PRODUCING
            elif sub in best:
                stage = best[sub].stage
            else:
                continue
            before = best.get(parent)
            offer(parent, PresenceBasis(stage, "relations", rid, sub))
            changed = changed or best.get(parent) != before
    return dict(sorted(best.items()))


@shared
def zone_stages(seeds: Seeds) -> dict[str, str]:
    """Actor id -> presence stage of every actor with a `ckg:zoneStage`: PRODUCING where its
    own row places it in the zone, else the stage of its best presence basis. Computed once
    per Seeds object and process (do not modify it)."""
    zone = places_in_zone(seeds)
    stages = dict.fromkeys(sorted(located_in_zone(seeds, zone)), PRODUCING)
    stages.update((actor, basis.stage) for actor, basis in zone_presence(seeds, zone).items())
    return stages


# What a registry change means for the focal zone (ckg:zoneEvent; the ontology's terms)
ENTERED, LEFT, CLOSED, CHANGED = "EnteredZone", "LeftZone", "ClosedInZone", "ChangedInZone"


@shared
def _located_by_row(seeds: Seeds) -> dict[str, str]:
    """Enterprise id -> the place its own row locates it in (its registered address then
    places it nowhere: `registry_addresses`)."""
    return {a: place for a, place in _rows(seeds, "enterprises", "located_in") if place}


def zone_events(
    seeds: Seeds, source: str, record: RegistryRecord
) -> tuple[str | None, tuple[str | None, ...]]:
    """What a kept registry row's changes (`registry.latest_rows`) mean for the focal zone:
    the event of its listing as a new firm (None if it is not new or not in the zone), and
    one per changed field, in order. A firm is in the zone now when it is present there
    (`zone_stages`, the one definition); it was when its earlier row registered it there by
    its address while operating (or its own row locates it there):
    - a new firm present in the zone, or an address change into it: ENTERED;
    - an address change of a firm that was there, operates and is no longer present: LEFT;
    - a status turning from operating to not, of a firm there before or now: CLOSED;
    - any other change of a firm there before or now: CHANGED; else None."""
    key = (source, record.row)
    changed = seeds.registry_changes.get(key)
    if changed is None and key not in seeds.registry_new_rows:
        return None, ()  # (most rows: nothing asked of the zone)
    firm = registry_firm(seeds, source, record)
    now = firm in zone_stages(seeds)
    new = (ENTERED if now else None) if key in seeds.registry_new_rows else None
    if changed is None:
        return new, ()
    before = {c.field: c.before for c in changed.fields}
    zone = _zone_places(seeds)
    if firm in _located_by_row(seeds):
        was = _located_by_row(seeds)[firm] in zone
    else:
        rules = _address_rules(seeds)
        hit = place_by_address(before.get(ADDRESS, record.address), rules)
        was = bool(hit) and hit[0].place in zone and is_active(before.get(STATUS, record.status))
    events: list[str | None] = []
    for change in changed.fields:
        if change.field == STATUS and is_active(change.before) and not is_active(change.after):
            events.append(CLOSED if was or now else None)
        elif change.field == ADDRESS and not was and now:
            events.append(ENTERED)
        elif change.field == ADDRESS and was and not now and is_active(record.status):
            events.append(LEFT)
        else:
            events.append(CHANGED if was or now else None)
    return new, tuple(events)


@shared
def _zone_places(seeds: Seeds) -> frozenset[str]:
    return frozenset(places_in_zone(seeds))


@shared
def _address_rules(seeds: Seeds) -> list[AddressRule]:
    return [AddressRule.from_row(row) for _line, row in seeds.rows("address_rules")]
