"""What the endpoint refuses, decided on the parsed query, and the worker's sandbox.

Three layers, each enough on its own for what it covers:

1. `precheck` (in the HTTP server, linear in the text): a size cap and a nesting-depth cap,
   so that no parser ever sees a pathological input (10,000 nested braces overflow the stack
   of Oxigraph's parser and of rdflib's).
2. `inspect` (in the query worker, under the time limit, so /health never waits for it): the
   query parsed by rdflib's SPARQL 1.1 parser; a `ServiceGraphPattern` anywhere in the parse
   tree is refused, and text that parses as SPARQL Update is refused. Text rdflib cannot read
   (SPARQL 1.2 `LATERAL`, some escapes) goes on to Oxigraph, which parses it itself.
3. `forbid_network` (in the query worker, at start): a seccomp filter makes `socket()` fail for
   IPv4 and IPv6, so the worker cannot open a connection whatever query it runs; a SERVICE
   that slipped past both parsers fails inside Oxigraph instead of reaching the network.
   The worker talks to the server over inherited pipes only.
"""

from __future__ import annotations

import errno
import resource
import socket
from dataclasses import dataclass

from pyparsing import ParseBaseException

OPENERS = frozenset("{([")
CLOSERS = frozenset("})]")


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: an HTTP status and a message for the client."""

    status: int
    message: str


SERVICE_REFUSED = Refusal(
    403, "Refused: federated queries (SERVICE) are not allowed on this endpoint."
)


def read_only_refusal(what: str) -> Refusal:
    return Refusal(403, f"Refused: this endpoint is read-only; {what} is not allowed.")


def precheck(text: str, max_chars: int, max_depth: int) -> Refusal | None:
    """Size and nesting caps, one pass over the text (counts every bracket, even in strings:
    a query needing more depth than the cap is refused, never parsed)."""
    if len(text) > max_chars:
        return Refusal(413, f"Query too long: at most {max_chars} characters.")
    depth = deepest = 0
    for char in text:
        if char in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in CLOSERS:
            depth = max(0, depth - 1)
    if deepest > max_depth:
        return Refusal(400, f"Query nested too deeply: more than {max_depth} levels of brackets.")
    return None


def _has_service(node: object) -> bool:
    """True if the rdflib parse tree has a SERVICE pattern (iterative walk, linear)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)  # type: ignore[arg-type]
    return False


def inspect(text: str) -> Refusal | None:
    """Refuse SERVICE and updates, read from the query's parse tree (rdflib's parser)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except (ParseBaseException, RecursionError):
        try:
            update = parseUpdate(text)
        except (ParseBaseException, RecursionError):
            return None  # not SPARQL 1.1 as rdflib reads it: Oxigraph decides (sandboxed)
        operations = update.get("request") or []
        if any(getattr(op, "name", "") for op in operations):
            return read_only_refusal(f"SPARQL Update ({operations[0].name})")
        return None
    return SERVICE_REFUSED if _has_service(tree) else None


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space; an allocation past it fails (the worker dies)."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def forbid_network() -> None:
    """From now on `socket(AF_INET|AF_INET6, ...)` fails with EPERM in this process."""
    import pyseccomp as seccomp

    sandbox = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for family in (socket.AF_INET, socket.AF_INET6):
        sandbox.add_rule(seccomp.ERRNO(errno.EPERM), "socket", seccomp.Arg(0, seccomp.EQ, family))
    sandbox.load()
