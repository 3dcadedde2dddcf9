"""Deterministic ASCII ids for Chinese names: `slug(name) -> str`.

pypinyin (its data ships in the wheel: nothing is downloaded) spells the name in toneless
pinyin, one syllable per character, joined by dashes: 湖南长城 -> hu-nan-chang-cheng.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str, max_length: int = MAX_LENGTH) -> str:
    """The name in lower-case pinyin, words joined by '-', at most max_length characters."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    text = _NOT_SLUG.sub("-", "-".join(syllables).lower()).strip("-")
    if len(text) > max_length:
        text = text[:max_length].rsplit("-", 1)[0]
    return text or "item"


def unique_slug(name: str, taken: set[str], prefix: str = "") -> str:
    """slug(name) (after prefix), with -2, -3 ... until it is not in taken; adds it to taken."""
    base = f"{prefix}-{slug(name)}" if prefix else slug(name)
    base = base[:MAX_LENGTH].rstrip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
