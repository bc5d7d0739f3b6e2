"""ProposalMap -> plain text (CLI), Markdown (the tab and reports) and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..corpus import Commitment
from .mapping import Evidence, ProposalMap

_EXCERPT_CHARS = 240


def _excerpt(text: str, limit: int = _EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _mapping_label(commitment: Commitment) -> str:
    return commitment.mapping_text or "no SDG or Action Line given in the source"


def _explicit_and_all(items: Sequence) -> tuple[list, list]:
    return [i for i in items if i.explicit], [i for i in items if not i.explicit]


def _all_sources(items: Sequence) -> list[str]:
    """Ids of commitments that reach every SDG / Action Line through an "All ..." mapping."""
    ids = {e.commitment for item in items for e in item.evidence if not e.explicit}
    return sorted(ids)


def proposal_text(pmap: ProposalMap, *, passages_per_commitment: int = 2) -> str:
    """A readable plain-text report for the terminal."""
    lines = [
        f"Proposal: {len(pmap.text.split()):,} words in {len(pmap.passages)} passage(s).",
        "",
        f"Related commitments ({len(pmap.commitments)}):",
    ]
    for rank, rc in enumerate(pmap.commitments, start=1):
        c = rc.commitment
        lines.append(f"{rank:>3}. {c.id}  score {rc.score:.3f}  {_excerpt(c.text, 160)}")
        lines.append(f"     maps to: {_mapping_label(c)}")
        for match in rc.matches[:passages_per_commitment]:
            passage = pmap.passages[match.passage]
            lines.append(f'     passage {match.passage + 1}: "{_excerpt(passage.text, 160)}"')
    explicit_sdgs, all_sdgs = _explicit_and_all(pmap.sdgs)
    lines += ["", "SDGs:"]
    for s in explicit_sdgs:
        ids = ", ".join(e.commitment for e in s.evidence if e.explicit)
        lines.append(f"  SDG {s.sdg:<2} {s.name:<45} score {s.score:.3f}  via {ids}")
    if all_sdgs or any(not e.explicit for s in explicit_sdgs for e in s.evidence):
        lines.append(f"  All SDGs (stated by {', '.join(_all_sources(pmap.sdgs))})")
    explicit_lines, all_lines = _explicit_and_all(pmap.action_lines)
    lines += ["", "WSIS Action Lines:"]
    for a in explicit_lines:
        ids = ", ".join(e.commitment for e in a.evidence if e.explicit)
        lines.append(f"  {a.code:<17} {_excerpt(a.name, 45):<45} score {a.score:.3f}  via {ids}")
    if all_lines or any(not e.explicit for a in explicit_lines for e in a.evidence):
        lines.append(
            f"  All WSIS Action Lines (stated by {', '.join(_all_sources(pmap.action_lines))})"
        )
    return "\n".join(lines)


def proposal_markdown(pmap: ProposalMap, *, passages_per_commitment: int = 3) -> str:
    """A Markdown report: commitments with their evidence, then SDG and Action Line tables."""
    out = [
        "# Proposal mapped to the Global Digital Compact",
        "",
        f"{len(pmap.text.split()):,} words, searched as {len(pmap.passages)} passage(s). "
        'Suggestions marked "All" come only from commitments the source maps to '
        '"All SDGs" / "All WSIS Action Lines".',
        "",
        "## Related commitments",
        "",
    ]
    for rank, rc in enumerate(pmap.commitments, start=1):
        c = rc.commitment
        out += [
            f"### {rank}. {c.id} (score {rc.score:.3f})",
            "",
            f"> {c.text}",
            "",
            f"Maps to: {_mapping_label(c)}",
            "",
        ]
        for match in rc.matches[:passages_per_commitment]:
            passage = pmap.passages[match.passage]
            text = " ".join(passage.text.split())  # one line: a "# " inside stays plain text
            out.append(f"- passage {match.passage + 1} (score {match.score:.3f}): {text}")
        out.append("")
    for title, key, items in (
        ("SDGs", "SDG", [(str(x.sdg), x) for x in pmap.sdgs]),
        ("WSIS Action Lines", "Code", [(x.code, x) for x in pmap.action_lines]),
    ):
        out += [f"## {title}", "", f"| {key} | Name | Score | Mapping | Commitments |"]
        out.append("|---" * 5 + "|")
        for label, x in items:
            mapping = "explicit" if x.explicit else "All"
            ids = _evidence_ids(x.evidence)
            out.append(f"| {label} | {x.name} | {x.score:.3f} | {mapping} | {ids} |")
        out.append("")
    return "\n".join(out)


def _evidence_ids(evidence: Sequence[Evidence]) -> str:
    return ", ".join(e.commitment + ("" if e.explicit else " (All)") for e in evidence)


def proposal_csv(pmap: ProposalMap) -> str:
    """The full mapping as CSV: one row per commitment, SDG and Action Line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "rank", "id", "text_or_name", "score", "mapping", "evidence"])
    for rank, rc in enumerate(pmap.commitments, start=1):
        passages = "; ".join(f"passage {m.passage + 1} ({m.score:.3f})" for m in rc.matches)
        c = rc.commitment
        writer.writerow(
            ["commitment", rank, c.id, c.text, f"{rc.score:.4f}", _mapping_label(c), passages]
        )
    for rank, s in enumerate(pmap.sdgs, start=1):
        kind = "explicit" if s.explicit else "All SDGs"
        row = ["sdg", rank, s.sdg, s.name, f"{s.score:.4f}", kind, _evidence_ids(s.evidence)]
        writer.writerow(row)
    for rank, a in enumerate(pmap.action_lines, start=1):
        kind = "explicit" if a.explicit else "All WSIS Action Lines"
        row = ["action_line", rank, a.code, a.name, f"{a.score:.4f}", kind]
        writer.writerow([*row, _evidence_ids(a.evidence)])
    return buffer.getvalue()
