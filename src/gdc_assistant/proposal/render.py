"""ProposalMap -> plain text (CLI), Markdown (the tab and reports) and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..corpus import Commitment
from .gaps import Gap
from .mapping import ProposalMap, RelatedCommitment
from .suggestions import Suggestion

_EXCERPT_CHARS = 240
SUGGESTIONS_SHOWN = 5  # SDGs / Action Lines listed with their evidence in the text report
GAPS_SHOWN = 5  # per target in the text report


def _excerpt(text: str, limit: int = _EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _mapping_label(commitment: Commitment) -> str:
    return commitment.mapping_text or "no SDG or Action Line given in the source"


def _label(s: Suggestion) -> str:
    return f"SDG {s.sdg}" if isinstance(s.key, int) else s.code


def evidence_line(s: Suggestion, *, passages: bool = True) -> str:
    """Which evidence supports a suggestion: matrix commitments and/or passages, with scores."""
    parts = []
    named = [e.commitment for e in s.evidence if e.explicit]
    via_all = [e.commitment for e in s.evidence if not e.explicit]
    if named:
        parts.append("matrix: " + ", ".join(named))
    if via_all:
        parts.append("via All: " + ", ".join(via_all))
    if passages and s.passages:
        parts.append(
            "passages: " + ", ".join(f"{p.passage + 1} ({p.score:.2f})" for p in s.passages)
        )
    return "; ".join(parts)


def _sentence_quote(rc: RelatedCommitment) -> str:
    return " … ".join(f'"{_excerpt(s.text, 160)}" ({s.score:.2f})' for s in rc.sentences)


def proposal_text(pmap: ProposalMap, *, gaps: bool = False) -> str:
    """A readable plain-text report for the terminal (a one-line notice when nothing maps)."""
    if pmap.notice:
        return f"Notice: {pmap.notice}"
    lines = [f"Proposal: {len(pmap.text.split()):,} words in {len(pmap.passages)} passage(s)."]
    for title, group in (
        ("Relevant commitments", pmap.relevant),
        ("Related less closely", pmap.less_close),
    ):
        if not group:
            continue
        lines += ["", f"{title} ({len(group)}):"]
        for rc in group:
            c = rc.commitment
            rank = pmap.commitments.index(rc) + 1
            lines.append(f"{rank:>3}. {c.id}  score {rc.score:.3f}  {_excerpt(c.text, 160)}")
            lines.append(f"     maps to: {_mapping_label(c)}")
            if rc.sentences:
                lines.append(f"     evidence: {_sentence_quote(rc)}")
            else:
                lines.append(f"     best passage: {rc.matches[0].passage + 1}")
    for title, items in (("SDGs", pmap.sdgs), ("WSIS Action Lines", pmap.action_lines)):
        lines += ["", f"{title} (best {SUGGESTIONS_SHOWN}; score = matrix + direct evidence):"]
        for s in items[:SUGGESTIONS_SHOWN]:
            name = _excerpt(s.name, 45)
            lines.append(f"  {_label(s):<17} {name:<45} score {s.score:.3f}")
            lines.append(f"  {'':<17} {evidence_line(s)}")
    if gaps:
        lines += ["", *gap_lines(pmap.gaps)]
    return "\n".join(lines)


def gap_lines(gaps: Sequence[Gap], *, per_target: int = GAPS_SHOWN) -> list[str]:
    """The gap view as text lines, grouped by target."""
    if not gaps:
        return [
            "Gaps: none: every commitment mapped to the leading SDGs and Action Lines is "
            "addressed by some passage."
        ]
    out = [
        "Gaps: commitments mapped to the leading SDGs and Action Lines that no passage addresses"
    ]
    for (kind, target), group in _by_target(gaps).items():
        label = f"SDG {target}" if kind == "sdg" else target
        out.append(f"  {label} {_excerpt(group[0].target_name, 50)} ({len(group)}):")
        for g in group[:per_target]:
            where = f"closest passage {g.passage + 1}" if g.passage is not None else "no passage"
            out.append(
                f"    {g.commitment.id:<16} {where}, score {g.score:.2f}  "
                f"{_excerpt(g.commitment.text, 90)}"
            )
        if len(group) > per_target:
            out.append(f"    … and {len(group) - per_target} more (--json lists them all)")
    return out


def _by_target(gaps: Sequence[Gap]) -> dict:
    grouped: dict = {}
    for g in gaps:
        grouped.setdefault((g.kind, g.target), []).append(g)
    return grouped


def proposal_markdown(pmap: ProposalMap) -> str:
    """A Markdown report: commitments with their evidence, SDG and Action Line tables, gaps."""
    out = ["# Proposal mapped to the Global Digital Compact", ""]
    if pmap.notice:
        return "\n".join([*out, f"> {pmap.notice}", ""])
    out += [
        f"{len(pmap.text.split()):,} words, compared as {len(pmap.passages)} passage(s). "
        "Suggestions combine the matrix (the related commitments' mappings) with direct "
        "evidence (passages compared with the SDG statements and Action Line descriptions).",
        "",
    ]
    for title, group in (
        ("Relevant commitments", pmap.relevant),
        ("Related less closely", pmap.less_close),
    ):
        if not group:
            continue
        out += [f"## {title}", ""]
        for rc in group:
            c = rc.commitment
            rank = pmap.commitments.index(rc) + 1
            out += [f"### {rank}. {c.id} (score {rc.score:.3f})", "", f"> {c.text}", ""]
            out += [f"Maps to: {_mapping_label(c)}", ""]
            for s in rc.sentences:
                text = " ".join(s.text.split())  # one line: a "# " inside stays plain text
                out.append(f"- evidence (score {s.score:.3f}): {text}")
            out.append("")
    for title, key, items in (
        ("SDGs", "SDG", pmap.sdgs),
        ("WSIS Action Lines", "Code", pmap.action_lines),
    ):
        out += [f"## {title}", "", f"| {key} | Name | Score | Matrix | Direct | Evidence |"]
        out.append("|---" * 6 + "|")
        for s in items:
            label = str(s.key)
            row = f"| {label} | {s.name} | {s.score:.3f} | {s.matrix:.2f} | {s.direct:.2f} |"
            out.append(f"{row} {evidence_line(s)} |")
        out.append("")
    out += ["## Gaps", ""]
    if not pmap.gaps:
        out += ["Every commitment mapped to the leading SDGs and Action Lines is addressed.", ""]
    else:
        out += [
            "Commitments mapped explicitly to the proposal's leading SDGs and Action Lines that "
            "no passage addresses, with the closest passage.",
            "",
            "| Target | Commitment | Closest passage | Score |",
            "|---|---|---|---|",
        ]
        for g in pmap.gaps:
            label = f"SDG {g.target}" if g.kind == "sdg" else g.target
            passage = "" if g.passage is None else str(g.passage + 1)
            out.append(f"| {label} | {g.commitment.id} | {passage} | {g.score:.3f} |")
        out.append("")
    return "\n".join(out)


def proposal_csv(pmap: ProposalMap) -> str:
    """The full mapping as CSV: one row per commitment, SDG, Action Line and gap."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["kind", "rank", "id", "text_or_name", "score", "relevant_or_mapping", "evidence"]
    )
    if pmap.notice:
        writer.writerow(["notice", "", "", pmap.notice, "", "", ""])
    for rank, rc in enumerate(pmap.commitments, start=1):
        c = rc.commitment
        evidence = "; ".join(f"{s.text} ({s.score:.3f})" for s in rc.sentences)
        row = ["commitment", rank, c.id, c.text, f"{rc.score:.4f}", rc.relevant, evidence]
        writer.writerow(row)
    for kind, items in (("sdg", pmap.sdgs), ("action_line", pmap.action_lines)):
        for rank, s in enumerate(items, start=1):
            mapping = "explicit" if s.explicit else "direct or All only"
            writer.writerow(
                [kind, rank, s.key, s.name, f"{s.score:.4f}", mapping, evidence_line(s)]
            )
    for g in pmap.gaps:
        passage = "" if g.passage is None else f"closest passage {g.passage + 1}"
        writer.writerow(
            ["gap", "", g.commitment.id, g.commitment.text, f"{g.score:.4f}", g.target, passage]
        )
    return buffer.getvalue()
