"""Multi-turn questions on top of ask(): follow-ups refine, page or re-scope the last search.

"only those under SDG 5" and "which of these are about AI?" narrow the last search's results;
"show more" pages; "what about C10 instead?" asks the last question again with the new scope;
anything else starts a new search. The UI's filters apply to every turn. The state is a small
frozen value (the question, its filters and the hits shown), fit for gr.State.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .ask import Response, ask
from .corpus import Filters
from .query.followup import FollowUp, FollowUpKind, parse_followup
from .retrieval import FusionParams, Hit, validate_question


@dataclass(frozen=True)
class ConversationState:
    """What a conversation remembers between turns."""

    question: str | None = None  # the search the conversation is on
    filters: Filters = field(default_factory=Filters)  # its effective filters
    refinements: tuple[Filters, ...] = ()  # filters added by "only those ..." follow-ups
    shown: tuple[Hit, ...] = ()  # the results in view, in order
    note: str | None = None  # what the last turn did, for the answer's first line


class Conversation:
    """A chat over one index: `send()` answers a message in the light of the previous ones."""

    def __init__(
        self,
        index,
        *,
        k: int = 10,
        filters: Filters | None = None,
        state: ConversationState | None = None,
        params: FusionParams | None = None,
    ) -> None:
        self.index = index
        self.k = k
        self.params = params  # retrieval parameters (None: the tuned defaults)
        self.filters = filters  # the UI's filters
        self.state = state if state is not None else ConversationState()

    @property
    def note(self) -> str | None:
        """What the last turn did ("Results 11-20 of ..."); None for a new search."""
        return self.state.note

    def send(self, text: str) -> Response:
        """Answer one message: a follow-up to the last search, or a new search."""
        text = validate_question(text)
        if self.state.question is None:
            return self._new(text)
        followup = parse_followup(text)
        if followup.kind is FollowUpKind.PAGE:
            return self._page(followup)
        if followup.kind is FollowUpKind.REFINE:
            return self._refine(text, followup)
        if followup.kind is FollowUpKind.REPLACE:
            return self._replace(followup)
        return self._new(text)

    def reset(self) -> None:
        """Forget the previous turns."""
        self.state = ConversationState()

    # ----------------------------------------------------------------------- turns

    def _new(self, text: str) -> Response:
        response = ask(self.index, text, params=self.params, k=self.k, filters=self.filters)
        self.state = ConversationState(
            question=response.question, filters=response.filters, shown=tuple(response.hits)
        )
        return response

    def _page(self, followup: FollowUp) -> Response:
        state = self.state
        everything = ask(
            self.index, state.question, params=self.params, k=len(self.index), filters=state.filters
        )
        seen = {h.commitment.id for h in state.shown}
        fresh = [
            h
            for h in everything.hits
            if h.commitment.id not in seen and self._allowed(h, state.refinements)
        ][: self.k]
        start = len(state.shown)
        hits = tuple(replace(h, rank=start + i) for i, h in enumerate(fresh, start=1))
        if hits:
            note = f"More results for “{state.question}”: {start + 1}–{start + len(hits)}."
        else:
            note = f"No more results for “{state.question}”: all {start} are shown above."
        self.state = replace(state, shown=state.shown + hits, note=note)
        return replace(
            everything,
            parsed=followup.parsed,
            hits=hits,
            confident=everything.confident and bool(hits),
            structured=None,
        )

    def _refine(self, text: str, followup: FollowUp) -> Response:
        state = self.state
        hint = followup.include_all  # "only explicit ones" / "including All", None if silent
        include_all = hint if hint is not None else state.filters.include_all
        extra = replace(followup.filters, include_all=include_all)
        added, labels = [], []
        if not extra.is_empty:
            added.append(extra)
            labels.append(f"refined: under {_label(extra)}")
        if hint is not None:
            added.append(replace(state.filters, include_all=hint))
            labels.append(
                "refined: "
                + (
                    "counted with “All” mappings"
                    if hint
                    else "mapped explicitly, not through “All”"
                )
            )
        refinements = state.refinements + tuple(added)
        on_topic = self._on_topic(followup.topic) if followup.topic else None
        if followup.topic:
            labels.append(f"refined: about “{followup.topic}”")
        # Only the results the reader has seen are narrowed: a refinement never brings in
        # commitments that were not shown, and its count is out of what was shown.
        kept = [h for h in state.shown if self._allowed(h, refinements)]
        if on_topic is not None:
            kept = sorted(
                (h for h in kept if h.commitment.id in on_topic),
                key=lambda h: (-on_topic[h.commitment.id], h.rank),
            )
        what = " and ".join(label.removeprefix("refined: ") for label in labels)
        count = len(state.shown)
        shown = f"the {count} results" if count != 1 else "the result"
        shown += f" shown for “{state.question}”"
        # a topic is judged by a search of its own: the count below the page is for filters only
        more = self._more_below(refinements) if on_topic is None and not extra.is_empty else 0
        if not kept:
            # Nothing found: say so, and keep the conversation where it was, so this turn does
            # not change the answers to later follow-ups.
            note = f"None of {shown} are {what}; the conversation stays on those results."
            if more:
                note += (
                    f" {more} further down the list are: say “what about {_label(extra)} instead?”."
                )
            self.state = replace(state, note=note)
            hits: tuple[Hit, ...] = ()
        else:
            hits = tuple(
                replace(h, rank=i, reasons=h.reasons + tuple(labels)) for i, h in enumerate(kept, 1)
            )
            verb = "is" if len(kept) == 1 else "are"
            note = f"{len(kept)} of {shown} {verb} {what}."
            if more:
                note += f" {more} more further down the list: say “show more”."
            self.state = replace(state, refinements=refinements, shown=hits, note=note)
        return Response(
            question=text,
            parsed=followup.parsed,
            filters=_narrowest(state.filters, extra),
            hits=hits,
            confident=any(h.relevant for h in hits),  # the flags the reader was shown
        )

    def _replace(self, followup: FollowUp) -> Response:
        state = self.state
        (filters,) = followup.filters_after(state.filters)
        if "topic" in followup.replace:
            question = followup.topic
        else:
            question = followup.rewrite(state.question)
        response = ask(self.index, question, params=self.params, k=self.k, filters=filters)
        self.state = ConversationState(
            question=response.question,
            filters=response.filters,
            shown=tuple(response.hits),
            note=f"Asking again: “{response.question}”" + _scope_phrase(response.filters) + ".",
        )
        return response

    def _on_topic(self, topic: str) -> dict[str, float]:
        """Commitment id -> score for the commitments judged to answer "which of these are
        about X" (relevance.py, as for any question about X)."""
        about = ask(self.index, topic, params=self.params, k=len(self.index))
        return {h.commitment.id: h.score for h in about.hits if h.relevant}

    def _more_below(self, refinements: tuple[Filters, ...]) -> int:
        """How many results judged relevant, not yet shown, meet the refinements."""
        state = self.state
        shown = {h.commitment.id for h in state.shown}
        everything = ask(
            self.index, state.question, params=self.params, k=len(self.index), filters=state.filters
        )
        return sum(
            1
            for h in everything.hits
            if h.relevant and h.commitment.id not in shown and self._allowed(h, refinements)
        )

    def _allowed(self, hit: Hit, refinements: tuple[Filters, ...]) -> bool:
        c = hit.commitment
        ui_ok = self.filters is None or self.filters.matches(c)
        return ui_ok and all(f.matches(c) for f in refinements)


def _narrowest(base: Filters, extra: Filters) -> Filters:
    """One Filters for display: the refinement's fields where it has them, else the base's."""
    return Filters(
        sdgs=extra.sdgs or base.sdgs,
        action_lines=extra.action_lines or base.action_lines,
        objectives=extra.objectives or base.objectives,
        sections=extra.sections or base.sections,
        include_all=base.include_all and extra.include_all,
    )


def _label(filters: Filters) -> str:
    parts = [f"SDG {s}" for s in filters.sdgs] + list(filters.action_lines)
    parts += [
        "Follow-up and Review" if o == "follow-up" else f"Objective {o}" for o in filters.objectives
    ]
    parts += [f"“{s}”" for s in filters.sections]
    text = ", ".join(parts)
    if not filters.include_all and (filters.sdgs or filters.action_lines):
        text += " (explicit mappings only)"
    return text


def _scope_phrase(filters: Filters) -> str:
    return f" within {_label(filters)}" if not filters.is_empty else ""
