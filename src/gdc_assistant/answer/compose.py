"""Hits -> Answer: a short prose summary written from the records, plus one card per commitment.

Nothing here is generated: every sentence is assembled from the commitments, their mappings and the
reference tables (SDG and Action Line names). The renderers (markdown for the chat, plain text for
the CLI, JSON) and the CSV / JSON exports live in answer/render.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..corpus import Commitment, Corpus, Filters, ObjectiveKey
from ..retrieval import Hit

# How the retriever's reason codes read to a person ("dense 0.61" -> "similar meaning 0.61");
# anything else is shown as the retriever wrote it.
_REASON_PREFIXES = {"dense": "similar meaning", "lexical": "shared words"}
_TOP_N = 3  # how many SDGs / Action Lines / objectives the summary names


@dataclass(frozen=True)
class Card:
    """One commitment as shown to a person: its words, its place and its mapping, with names."""

    id: str
    text: str
    objective: ObjectiveKey
    objective_label: str  # "Objective 4" or "Follow-up and Review"
    objective_title: str
    section: str | None
    sdgs: tuple[tuple[int, str], ...]  # explicit SDGs with names; empty when sdgs_all
    sdgs_all: bool
    action_lines: tuple[tuple[str, str], ...]  # explicit lines with names; empty when all
    action_lines_all: bool
    mapping_text: str
    reasons: tuple[str, ...]
    score: float
    rank: int
    confident: bool
    relevant: bool = False  # the system judges that it answers the question

    @property
    def no_sdg(self) -> bool:
        """The source gives no SDG for this commitment (O5-07)."""
        return not self.sdgs and not self.sdgs_all


@dataclass(frozen=True)
class Answer:
    """What the app says back: exact answer (if any), summary, advice when weak, and cards."""

    question: str
    summary_parts: tuple[str, ...]  # sentences: count, objectives, SDGs, Action Lines, "All"
    cards: tuple[Card, ...]
    confident: bool
    exact: str | None = None  # the exact text of a count / list / lookup answer
    notice: str | None = None  # plain advice when the answer is weak or empty
    context: str | None = None  # e.g. "Showing results 11-20" from a conversation turn

    @property
    def summary(self) -> str:
        """The prose summary as one paragraph."""
        return " ".join(self.summary_parts)

    @property
    def matches(self) -> tuple[Card, ...]:
        """The cards that answer the question."""
        return tuple(c for c in self.cards if c.relevant)

    @property
    def related(self) -> tuple[Card, ...]:
        """The cards shown apart: related less closely."""
        return tuple(c for c in self.cards if not c.relevant)


# --------------------------------------------------------------------------- composing


def compose_answer(response, corpus: Corpus, *, context: str | None = None) -> Answer:
    """Summarise a retrieval Response in prose and build one card per hit, all from the records."""
    hits = tuple(response.hits)
    cards = tuple(_card(hit, corpus) for hit in hits)
    filters = response.filters if response.filters is not None else Filters()
    exact = _structured_text(response.structured)
    return Answer(
        question=response.question,
        summary_parts=_summary(hits, corpus, filters, response.structured),
        cards=cards,
        confident=bool(response.confident) and bool(hits),
        exact=exact,
        notice=_notice(response, hits, corpus, filters, exact),
        context=context,
    )


def _structured_text(structured) -> str | None:
    if structured is None:
        return None
    return str(structured.text)


def objective_label(corpus: Corpus, key: ObjectiveKey) -> str:
    """'Objective 4' for 1-5, the source's heading for Follow-up and Review."""
    if key == "follow-up":
        return corpus.objective(key).title
    return f"Objective {key}"


def _card(hit: Hit, corpus: Corpus) -> Card:
    c = hit.commitment
    return Card(
        id=c.id,
        text=c.text,
        objective=c.objective,
        objective_label=objective_label(corpus, c.objective),
        objective_title=c.objective_title,
        section=c.section,
        sdgs=() if c.sdgs_all else tuple((n, corpus.sdg_names[n]) for n in c.sdgs),
        sdgs_all=c.sdgs_all,
        action_lines=()
        if c.action_lines_all
        else tuple((code, corpus.action_line_names[code]) for code in c.action_lines),
        action_lines_all=c.action_lines_all,
        mapping_text=c.mapping_text,
        reasons=tuple(_reason_label(r) for r in hit.reasons),
        score=float(hit.score),
        rank=int(hit.rank),
        confident=bool(hit.confident),
        relevant=bool(hit.relevant),
    )


def _reason_label(reason: str) -> str:
    head, _, rest = reason.partition(" ")
    return f"{_REASON_PREFIXES[head]} {rest}".strip() if head in _REASON_PREFIXES else reason


def _summary(hits: Sequence[Hit], corpus: Corpus, filters: Filters, structured) -> tuple[str, ...]:
    if not hits:
        return (
            "No commitment in the matrix matches this question"
            + (
                f" with the filters {describe_filters(filters, corpus)}."
                if not filters.is_empty
                else "."
            ),
        )
    commitments = [h.commitment for h in hits]
    n = len(commitments)
    total = len(structured.commitments) if structured is not None else 0
    if structured is None:
        return _relevance_summary(hits, corpus, filters)
    if total > n:
        parts = [
            f"Showing {n} of the {total} commitments"
            + _filters_phrase(filters, corpus)
            + " (ask “show more” for the next ones)."
        ]
    else:
        parts = [f"{_plural(n, 'commitment')} found" + _filters_phrase(filters, corpus) + "."]
    return (*parts, *_facts(commitments, corpus, filters))


def _relevance_summary(hits: Sequence[Hit], corpus: Corpus, filters: Filters) -> tuple[str, ...]:
    """'3 commitments match; 7 more are related less closely.' then facts about the matches."""
    matching = [h.commitment for h in hits if h.relevant]
    others = len(hits) - len(matching)
    within = _filters_phrase(filters, corpus)
    if not matching:
        return (
            f"No commitment clearly answers this question{within}; the "
            f"{_plural(others, 'closest one')} the matrix has are shown below, related less "
            "closely.",
        )
    head = f"{_plural(len(matching), 'commitment')} {'matches' if len(matching) == 1 else 'match'}"
    head += within
    head += (
        f"; {others} more {'is' if others == 1 else 'are'} related less closely." if others else "."
    )
    return (head, *_facts(matching, corpus, filters))


def _facts(commitments: Sequence[Commitment], corpus: Corpus, filters: Filters) -> list[str]:
    """Where the commitments sit, the SDGs and Action Lines they name most, "All" mappings."""
    parts = [_objectives_sentence(commitments, corpus)]
    sdg_counts = Counter(s for c in commitments if not c.sdgs_all for s in c.sdgs)
    if sdg_counts:
        top = ", ".join(f"SDG {s} {corpus.sdg_names[s]} ({count})" for s, count in _top(sdg_counts))
        parts.append(f"SDGs named most often: {top}.")
    line_counts = Counter(a for c in commitments if not c.action_lines_all for a in c.action_lines)
    if line_counts:
        top = ", ".join(
            f"{line_label(code, corpus.action_line_names[code])} ({count})"
            for code, count in _top(line_counts)
        )
        parts.append(f"Action Lines named most often: {top}.")
    parts.extend(_all_sentences(commitments, filters))
    return parts


def _objectives_sentence(commitments: Sequence[Commitment], corpus: Corpus) -> str:
    counts = Counter(c.objective for c in commitments)
    if len(counts) == 1:
        key = next(iter(counts))
        where = objective_label(corpus, key)
        if key != "follow-up":
            where += f" ({corpus.objective(key).title})"
        return f"{'It sits' if len(commitments) == 1 else 'All sit'} in {where}."
    ranked = _top(counts, len(counts))
    listed = ", ".join(f"{objective_label(corpus, key)} ({count})" for key, count in ranked)
    return f"They sit in {listed}."


def _all_sentences(commitments: Sequence[Commitment], filters: Filters) -> list[str]:
    n_sdgs_all = sum(c.sdgs_all for c in commitments)
    n_lines_all = sum(c.action_lines_all for c in commitments)
    n_no_sdg = sum(not c.sdgs and not c.sdgs_all for c in commitments)
    total = len(commitments)
    sentences = []
    if n_sdgs_all:
        how = "match the SDG filter" if filters.sdgs else "mapped"
        sentences.append(f'{_subject(n_sdgs_all, total, how)} only through "All SDGs".')
    if n_lines_all:
        how = "match the Action Line filter" if filters.action_lines else "mapped"
        sentences.append(
            f'{_subject(n_lines_all, total, how)} only through "All WSIS Action Lines".'
        )
    if n_no_sdg:
        whom = "it" if total == 1 else f"{n_no_sdg} of them"
        sentences.append(f"The source gives no SDG for {whom}.")
    return sentences


def _subject(n: int, total: int, how: str) -> str:
    """'It is mapped', '1 of them matches the SDG filter', 'All of them are mapped'."""
    singular = n == 1
    if how.startswith("match"):
        verb = ("matches" if singular else "match") + how[len("match") :]
    else:
        verb = ("is " if singular else "are ") + how
    if total == 1:
        return f"It {verb}"
    return f"{f'{n} of them' if n < total else 'All of them'} {verb}"


def _notice(response, hits, corpus: Corpus, filters: Filters, exact: str | None) -> str | None:
    notes = [f"Note: {note}." for note in response.notes]
    advice = _advice(response, hits, corpus, filters, exact)
    return " ".join(notes + ([advice] if advice else [])) or None


def _advice(response, hits, corpus: Corpus, filters: Filters, exact: str | None) -> str | None:
    if exact is not None:
        return None
    if not hits:
        if not filters.is_empty and not any(filters.matches(c) for c in corpus):
            advice = "No commitment satisfies these filters together: remove one of them"
            if not filters.include_all and (filters.sdgs or filters.action_lines):
                advice += ' or tick "include All SDGs / All WSIS Action Lines"'
            return advice + "."
        if not filters.is_empty:
            return (
                "Nothing within these filters matches the question. Remove a filter, or rephrase "
                "with the Compact's own words (e.g. 'connectivity', 'data protection')."
            )
        return (
            "Try rephrasing with the Compact's own words (e.g. 'connectivity', 'digital skills', "
            "'data protection', 'artificial intelligence'), or name an SDG ('SDG 5') or a WSIS "
            "Action Line ('C10')."
        )
    if not response.confident:
        english = (
            "The matrix may not cover this: none of these answers it clearly, they are only the "
            "closest commitments it has. Rephrase with the Compact's own words, or narrow with an "
            "objective, SDG or Action Line filter."
        )
        language = getattr(response.parsed, "language", "en")
        local = NOT_COVERED.get(language)
        return f"{local} ({english})" if local else english
    return None


# The not-covered warning in the asker's language (the UN languages, German and Portuguese);
# the English text follows it, so the warning never depends on a translation alone.
NOT_COVERED = {
    "fr": "Le Pacte ne traite peut-être pas de cette question : aucun engagement n'y répond "
    "clairement, ceux-ci sont seulement les plus proches.",
    "es": "Es posible que el Pacto no trate esta cuestión: ningún compromiso la responde "
    "claramente; estos son solo los más cercanos.",
    "pt": "É possível que o Pacto não trate desta questão: nenhum compromisso a responde "
    "claramente; estes são apenas os mais próximos.",
    "de": "Der Pakt behandelt diese Frage möglicherweise nicht: Keine Verpflichtung beantwortet "
    "sie eindeutig; dies sind nur die nächstliegenden.",
    "ru": "Возможно, Договор не касается этого вопроса: ни одно обязательство не отвечает на "
    "него прямо; это лишь наиболее близкие.",
    "zh": "《全球数字契约》可能没有涉及这个问题：没有任何承诺明确回答它，以下只是最接近的承诺。",
    "ar": "قد لا يتناول الميثاق هذه المسألة: لا يجيب عنها أي التزام بوضوح، "
    "وهذه أقرب الالتزامات فقط.",
}


def describe_filters(filters: Filters, corpus: Corpus) -> str:
    """'SDG 5 Gender Equality; C10; Objective 3' (names where short), for messages."""
    parts = [f"SDG {s} {corpus.sdg_names[s]}" for s in filters.sdgs]
    parts += list(filters.action_lines)
    parts += [objective_label(corpus, o) for o in filters.objectives]
    parts += [f"section “{s}”" for s in filters.sections]
    text = "; ".join(parts)
    if not filters.include_all and (filters.sdgs or filters.action_lines):
        text += ' (explicit mappings only, "All" excluded)'
    return text


def _filters_phrase(filters: Filters, corpus: Corpus) -> str:
    return f" within {describe_filters(filters, corpus)}" if not filters.is_empty else ""


def _top(counts: Counter, n: int = _TOP_N) -> list:
    # most frequent first; ties in reference order (SDG number, Action Line order, objective order)
    order = {key: i for i, key in enumerate(counts)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], _ref_key(kv[0]), order[kv[0]]))[:n]


def _ref_key(key) -> tuple:
    if isinstance(key, int):
        return (0, key, "")
    if isinstance(key, str) and key.startswith("C"):
        number, _, sub = key.partition(" ")
        return (1, int(number[1:]), sub)
    return (2, 0, str(key))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def line_label(code: str, name: str, *, separator: str = " ") -> str:
    """'C10 Ethical dimensions of the Information Society'; a C7 sub-line's code already holds its
    name ('C7 E-health' is 'ICT applications: E-health'), so it is shown alone."""
    return code if code.startswith("C7 ") else f"{code}{separator}{name}"
