"""What extraction proposes: `Candidate` (a fact with its evidence) and `Mention` (a name
found in the article, before it becomes a candidate)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = (
    "enterprise",
    "organization",
    "park",
    "chain",
    "segment",
    "project",
    "program",
    "event",
    "statistic",
    "relation",
)
ENTITY_KINDS = KINDS[:-2]


@dataclass
class Candidate:
    """One proposed fact, with its evidence."""

    kind: str
    name: str
    quote: str
    confidence: float
    source: str
    start: int  # where the name (for a relation: the quote) starts in the article
    end: int
    rule: str
    known_id: str | None = None
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # other seed-table columns
    subject: str = ""  # relation: names of its ends, and the predicate
    type: str = ""
    object: str = ""

    def as_json(self) -> dict[str, object]:
        item: dict[str, object] = {
            "kind": self.kind,
            "name": self.name,
            "quote": self.quote,
            "confidence": round(self.confidence, 2),
            "source": self.source,
            "id": self.id,
        }
        if self.known_id:
            item["known_id"] = self.known_id
        if self.aliases:
            item["aliases"] = self.aliases
        if self.kind == "relation":
            item |= {"subject": self.subject, "type": self.type, "object": self.object}
            item |= {k: self.fields[k] for k in ("subject_id", "object_id") if k in self.fields}
        elif self.kind == "statistic":
            item |= {"value": self.fields.get("value_text", "")}
        elif self.kind == "project":
            item |= {
                "amount": self.fields.get("amount_text", ""),
                "amount_yuan": int(self.fields["amount_yuan"])
                if self.fields.get("amount_yuan")
                else None,
            }
        extra = {k: v for k, v in self.fields.items() if v and k not in item}
        if extra:
            item["fields"] = extra
        return item


@dataclass
class Mention:
    kind: str
    name: str
    start: int
    end: int
    rule: str
    confidence: float
    known_id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
