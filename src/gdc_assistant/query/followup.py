"""Chat follow-ups: a message read against the previous turn (refine, page, replace or new).

"only SDG 5", "which of these are about AI?" narrow the previous results; "more" pages them;
"what about C10 instead?" swaps fields of the previous question; anything else is a question of
its own. Pure functions over `query.parse_query`, no model and no index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

from ..corpus import Filters
from .cues import COUNT_PATTERN
from .kinds import AL, OBJ, SDG, SEC, STRONG
from .parse import Intent, ParsedQuery, parse_query


class FollowUpKind(Enum):
    REFINE = "refine"  # narrow the previous results (extra filters and/or a topic)
    PAGE = "page"  # more of the previous results
    REPLACE = "replace"  # same question with some fields swapped ("what about C10 instead?")
    NEW = "new"  # a question of its own


@dataclass(frozen=True)
class FollowUp:
    """A chat message read against the previous turn.

    REFINE: `filters` and/or `topic` narrow the previous results; a commitment must match the
    previous filters *and* these (see `filters_after`), so "only SDG 5" after "SDG 10" means both.
    REPLACE: the fields named in `replace` ("sdgs", "action_lines", "objectives", "sections",
    "topic") take the values in `filters` / `topic` (possibly empty); the others stay. Fields go
    by group: naming an SDG or an Action Line replaces both, an objective or a section both.
    `include_all` is the message's own "only explicit" / "including All" hint, None when silent.
    """

    kind: FollowUpKind
    parsed: ParsedQuery
    filters: Filters = field(default_factory=Filters)
    topic: str = ""
    replace: tuple[str, ...] = ()
    include_all: bool | None = None

    def filters_after(self, previous: Filters) -> tuple[Filters, ...]:
        """The filters a commitment must all match once this follow-up is applied."""

        def hinted(f: Filters) -> Filters:
            return f if self.include_all is None else replace(f, include_all=self.include_all)

        if self.kind is FollowUpKind.PAGE:
            return (previous,)
        if self.kind is FollowUpKind.NEW:
            return (self.parsed.filters(include_all=previous.include_all),)
        if self.kind is FollowUpKind.REFINE:
            extra = () if self.filters.is_empty else (hinted(self.filters),)
            return (hinted(previous), *extra)
        fields = {name: getattr(self.filters, name) for name in self.replace if name != "topic"}
        return (hinted(replace(previous, **fields)),)

    def rewrite(self, previous: str) -> str:
        """The previous question with this REPLACE's values swapped in: "How many commitments
        cite SDG 10?" + "what about C10 instead?" -> "How many commitments cite C10?"."""
        if self.kind is not FollowUpKind.REPLACE:
            return previous if self.kind is FollowUpKind.PAGE else self.parsed.text
        before = parse_query(previous)
        text, edits = previous, []
        for group in _FIELD_GROUPS:
            if not any(name in self.replace for name in group):
                continue
            kinds = {_FIELD_KIND[name] for name in group}
            old = [
                m for m in before.mentions if m.kind in kinds and m.valid and m.strength is STRONG
            ]
            new = " and ".join(
                m.text
                for m in self.parsed.mentions
                if m.kind in kinds and m.valid and m.strength is STRONG
            )
            if old:
                edits.append((old[0].start, old[0].end, new))
                for m in old[1:]:  # drop the extra mention with the "and" / "," before it
                    joint = re.search(r"\s*(?:,|&|\band\b|\bor\b)?\s*$", previous[: m.start])
                    edits.append((joint.start() if joint else m.start, m.end, ""))
            elif new:
                edits.append(
                    (len(previous.rstrip(" ?.!")), len(previous.rstrip(" ?.!")), f" under {new}")
                )
        if "topic" in self.replace and before.topic and before.topic in previous:
            start = previous.index(before.topic)
            edits.append((start, start + len(before.topic), self.topic))
        elif "topic" in self.replace:
            edits.append((0, 0, f"{self.topic} "))
        for start, end, new_text in sorted(edits, reverse=True):
            text = text[:start] + new_text + text[end:]
        return " ".join(text.split())


_FIELD_KIND = {"sdgs": SDG, "action_lines": AL, "objectives": OBJ, "sections": SEC}
_PAGE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|please|and)[\s,]+)?(?:(?:show|give|load|see|display|get)(?:\s+me)?\s+)?"
    r"(?:some\s+|the\s+)?(?:(?:more|next)(?:\s+\d+)?(?:\s+(?:results?|ones|commitments|page"
    r"|of\s+(?:them|those|these)))?|continue|keep\s+going|plus|encore|voir\s+plus"
    r"|page\s+suivante|suivants?|más|mas|ver\s+más|siguientes?)(?:\s+please)?\s*[.!?]*\s*$",
    re.IGNORECASE,
)
_REFINE_FILTER = re.compile(
    r"^\s*(?:(?:and|but|ok(?:ay)?)[\s,]+)?(?:(?:only|just)\b|filter\s+(?:it\s+|them\s+)?"
    r"(?:to|by|on|for)\b|(?:restrict|narrow|limit)\s+(?:it\s+|them\s+|that\s+|this\s+)?(?:down\s+)?"
    r"(?:to|by)\b|keep\s+only\b|seulement\b|uniquement\b|s[oó]lo\b)",
    re.IGNORECASE,
)
_REFINE_TOPIC = re.compile(
    r"^\s*(?:and\s+)?(?:(?:which|what)\s+(?:ones\s+)?(?:of|among)\s+(?:these|those|them|the\s+results"
    r"|the\s+above)|(?:of|among|from)\s+(?:these|those|them|the\s+results|the\s+above)"
    r"(?:[\s,]+(?:which|what|who)(?:\s+ones)?)?|which\s+ones|parmi\s+(?:eux|ceux-ci|ces\s+engagements)"
    r"(?:[\s,]+(?:lesquels|quels))?|de\s+(?:estos|esos|ellos)(?:[\s,]+cu[aá]les)?)\b",
    re.IGNORECASE,
)
_REPLACE = re.compile(
    r"^\s*(?:(?:and\s+)?what\s+about|how\s+about|same\s+(?:question\s+)?(?:for|with|but\s+(?:for|with))"
    r"|and\s+(?:for|with|in|under)|and(?=\s)|now\s+(?:for|with)?|et\s+pour|y\s+para)\b"
    r"|\binstead\b",
    re.IGNORECASE,
)
_FIELD_GROUPS = (("sdgs", "action_lines"), ("objectives", "sections"))


def parse_followup(text: str) -> FollowUp:
    """Read a chat message as a refinement, a page request, a replacement or a new question."""
    parsed = parse_query(text)
    if _PAGE.match(text):
        return FollowUp(FollowUpKind.PAGE, parsed)
    scope = parsed.filters()
    for pattern in (_REFINE_FILTER, _REFINE_TOPIC):
        m = pattern.match(text)
        if m is None:
            continue
        rest = parse_query(text[m.end() :])
        if rest.invalid:  # "only SDG 18": say so rather than narrow to nothing
            return FollowUp(FollowUpKind.NEW, parsed)
        if not rest.filters().is_empty or rest.topic or rest.include_all is not None:
            return FollowUp(
                FollowUpKind.REFINE,
                parsed,
                filters=rest.filters(),
                topic=rest.topic,
                include_all=rest.include_all,
            )
    if _REPLACE.search(text) and not parsed.invalid and parsed.intent is not Intent.LOOKUP:
        # Fields are replaced by group: an SDG and an Action Line both say what a commitment is
        # mapped to ("SDG 10" -> "what about C10 instead?" means C10, not SDG 10 and C10), and an
        # objective and a section both say where it sits.
        fields = tuple(
            name
            for group in _FIELD_GROUPS
            if any(getattr(scope, f) for f in group)
            for name in group
        )
        if parsed.topic and not COUNT_PATTERN.search(text):
            fields = (*fields, "topic")
        if fields:
            return FollowUp(
                FollowUpKind.REPLACE,
                parsed,
                filters=scope,
                topic=parsed.topic,
                replace=fields,
                include_all=parsed.include_all,
            )
    return FollowUp(FollowUpKind.NEW, parsed)
