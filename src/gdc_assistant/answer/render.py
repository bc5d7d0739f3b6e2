"""Answer -> text: markdown cards for the chat, plain text for the CLI, JSON; hits -> CSV / JSON.

Renderers only show what compose_answer (answer.py) put in the Answer, and exports write the
records as stored: "All SDGs" / "All WSIS Action Lines" stay flags, never expanded lists.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from ..corpus import Corpus
from ..retrieval import Hit
from .compose import Answer, Card, line_label

# --------------------------------------------------------------------------- renderers


def answer_markdown(answer: Answer) -> str:
    """The chat message: exact answer, summary, advice, then cards (HTML with CSS classes)."""
    blocks = []
    if answer.context:
        blocks.append(f"*{_escape(answer.context)}*")
    if answer.notice:  # a warning is read before any headline
        blocks.append(f'<div class="gdc-notice">⚠️ {_escape(answer.notice)}</div>')
    if answer.exact:
        exact = "<br>".join(_escape(line) for line in answer.exact.splitlines())
        blocks.append(f'<div class="gdc-exact">{exact}</div>')
    first, *rest = answer.summary_parts
    if rest and rest[0].startswith(("They sit", "All sit", "It sits")):
        first, rest = f"**{_escape(first)}** {_escape(rest[0])}", rest[1:]
    else:
        first = f"**{_escape(first)}**"
    blocks.append("\n".join([first, *(_escape(part) for part in rest)]))
    if answer.exact or answer.matches:
        shown, apart = (answer.cards, ()) if answer.exact else (answer.matches, answer.related)
    else:
        shown, apart = (), answer.cards
    blocks.extend(_card_html(card) for card in shown)
    if apart:
        cards = "\n\n".join(_card_html(card) for card in apart)
        label = f"{_plural_cards(len(apart))} related less closely"
        blocks.append(
            f'<details class="gdc-related"><summary>{label}</summary>\n\n{cards}\n\n</details>'
        )
    return "\n\n".join(blocks)


def _plural_cards(n: int) -> str:
    return "1 more commitment" if n == 1 else f"{n} more commitments"


def _card_html(card: Card) -> str:
    where = _escape(card.objective_label) + (f" · {_escape(card.section)}" if card.section else "")
    chips = []
    if card.sdgs_all:
        chips.append('<span class="gdc-badge gdc-all">All SDGs</span>')
    elif card.no_sdg:
        chips.append('<span class="gdc-badge gdc-none">no SDG given in the source</span>')
    chips += [
        f'<span class="gdc-badge gdc-sdg" title="{_attr(name)}">SDG {n} · {_escape(name)}</span>'
        for n, name in card.sdgs
    ]
    if card.action_lines_all:
        chips.append('<span class="gdc-badge gdc-all">All WSIS Action Lines</span>')
    chips += [
        f'<span class="gdc-badge gdc-al" title="{_attr(name)}">'
        f"{_escape(line_label(code, name, separator=' · '))}</span>"
        for code, name in card.action_lines
    ]
    why = ", ".join(card.reasons) or "ranked by the retriever"
    weak = "" if card.relevant else ' <span class="gdc-weak">related less closely</span>'
    return (
        f'<div class="gdc-card"><div class="gdc-card-head"><span class="gdc-id">{card.id}</span>'
        f' <span class="gdc-where">{where}</span>{weak}</div>'
        f'<div class="gdc-text">{_escape(card.text)}</div>'
        f'<div class="gdc-badges">{" ".join(chips)}</div>'
        f'<div class="gdc-why">Why it matched: {_escape(why)}</div></div>'
    )


# One pass over the text: HTML's special characters and the markdown ones the source could hold
# become numeric entities, so neither the markdown renderer nor the HTML sanitiser changes them.
_ESCAPES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&<>\\*_`[]#|~$"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _attr(text: str) -> str:
    """Text for inside an HTML attribute value: quotes escaped as well."""
    return _escape(text).replace('"', "&quot;").replace("'", "&#39;")


def answer_text(answer: Answer) -> str:
    """Plain text for the terminal (CLI `ask`)."""
    lines = []
    if answer.context:
        lines += [answer.context, ""]
    if answer.exact:
        lines += [answer.exact, ""]
    if answer.notice:
        notice = answer.notice  # notes from the question already begin "Note: "
        lines += [notice if notice.startswith("Note: ") else f"Note: {notice}", ""]
    lines.append(answer.summary)
    heading_done = bool(answer.exact)
    for card in answer.cards:
        if not card.relevant and not heading_done:
            lines += ["", "Related less closely:"]
            heading_done = True
        lines += [
            "",
            f"{card.rank}. [{card.id}] {card.objective_label}"
            + (f" / {card.section}" if card.section else ""),
        ]
        lines.append(f"   {card.text}")
        lines.append(f"   SDGs: {_sdg_text(card)}")
        lines.append(f"   WSIS Action Lines: {_lines_text(card)}")
        if card.reasons:
            lines.append(f"   Why: {', '.join(card.reasons)}")
    return "\n".join(lines)


def _sdg_text(card: Card) -> str:
    if card.sdgs_all:
        return "All SDGs"
    if card.no_sdg:
        return "no SDG given in the source"
    return "; ".join(f"{n} {name}" for n, name in card.sdgs)


def _lines_text(card: Card) -> str:
    if card.action_lines_all:
        return "All WSIS Action Lines"
    return "; ".join(line_label(code, name) for code, name in card.action_lines)


def answer_to_json(answer: Answer) -> dict:
    """A plain-JSON dict of the whole answer (summary, exact, notice, cards)."""
    return {
        "question": answer.question,
        "exact": answer.exact,
        "summary": answer.summary,
        "summary_parts": list(answer.summary_parts),
        "notice": answer.notice,
        "context": answer.context,
        "confident": answer.confident,
        "cards": [_card_json(card) for card in answer.cards],
    }


def _card_json(card: Card) -> dict:
    return {
        "rank": card.rank,
        "id": card.id,
        "score": round(card.score, 4),
        "confident": card.confident,
        "relevant": card.relevant,
        "objective": card.objective,
        "objective_title": card.objective_title,
        "section": card.section,
        "text": card.text,
        "sdgs": [{"sdg": n, "name": name} for n, name in card.sdgs],
        "sdgs_all": card.sdgs_all,
        "action_lines": [{"code": code, "name": name} for code, name in card.action_lines],
        "action_lines_all": card.action_lines_all,
        "mapping_text": card.mapping_text,
        "reasons": list(card.reasons),
    }


# --------------------------------------------------------------------------- export

CSV_COLUMNS = (
    "rank",
    "id",
    "score",
    "objective",
    "section",
    "text",
    "sdgs",
    "sdg_names",
    "action_lines",
    "action_line_names",
    "mapping_text",
    "reasons",
)


def hits_to_records(hits: Sequence[Hit], corpus: Corpus) -> list[dict]:
    """One plain dict per hit: the commitment record as stored, plus rank, score, reasons, names.

    `sdgs` / `action_lines` stay expanded exactly as in commitments.jsonl; the `*_all` flags say
    when the source wrote "All SDGs" / "All WSIS Action Lines" instead of a list.
    """
    records = []
    for hit in hits:
        c = hit.commitment
        record = {"rank": hit.rank, "score": round(float(hit.score), 4), **c.to_dict()}
        record["sdg_names"] = ["All SDGs"] if c.sdgs_all else [corpus.sdg_names[n] for n in c.sdgs]
        record["action_line_names"] = (
            ["All WSIS Action Lines"]
            if c.action_lines_all
            else [corpus.action_line_names[code] for code in c.action_lines]
        )
        record["reasons"] = list(hit.reasons)
        record["confident"] = bool(hit.confident)
        record["relevant"] = bool(hit.relevant)
        records.append(record)
    return records


def hits_to_json(hits: Sequence[Hit], corpus: Corpus) -> str:
    """The hits as a JSON array (UTF-8, source wording kept), for `ask --json` and downloads."""
    return json.dumps(hits_to_records(hits, corpus), ensure_ascii=False, indent=2)


def hits_to_csv(hits: Sequence[Hit], corpus: Corpus) -> str:
    """The hits as CSV, one row per commitment; "All SDGs" written as such, never as 1-17."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in hits_to_records(hits, corpus):
        writer.writerow(
            [
                record["rank"],
                record["id"],
                record["score"],
                record["objective"],
                record["section"] or "",
                record["text"],
                "All SDGs" if record["sdgs_all"] else "; ".join(map(str, record["sdgs"])),
                "; ".join(record["sdg_names"]),
                "All WSIS Action Lines"
                if record["action_lines_all"]
                else "; ".join(record["action_lines"]),
                "; ".join(record["action_line_names"]),
                record["mapping_text"],
                "; ".join(record["reasons"]),
            ]
        )
    return buffer.getvalue()
