"""Corpus statistics: counts per objective, section, SDG and Action Line."""

from __future__ import annotations

from .corpus import Corpus


def render_stats(corpus: Corpus) -> str:
    """A plain-text report of how the commitments are spread over objectives and mappings."""
    lines = [f"{len(corpus)} distinct commitments", ""]
    lines += _objective_lines(corpus)
    from .matrix import commitments_per_action_line, commitments_per_sdg

    lines += _count_lines("SDG", commitments_per_sdg(corpus), lambda sdg, name: f"SDG {sdg} {name}")
    lines += _count_lines(
        "WSIS Action Line",
        commitments_per_action_line(corpus),
        lambda code, name: f"{code} {name}" if " " not in code else f"  {code}",
    )
    no_sdg = [c.id for c in corpus if not c.sdgs]
    lines += [
        "",
        f'"All SDGs": {sum(c.sdgs_all for c in corpus)} commitments; '
        f'"All WSIS Action Lines": {sum(c.action_lines_all for c in corpus)} commitments',
        f"No SDG given in the source: {', '.join(no_sdg) or 'none'}",
        "Listed more than once in the source: "
        + ", ".join(f"{c.id} (x{c.occurrences})" for c in corpus if c.occurrences > 1),
    ]
    return "\n".join(lines)


def _count_lines(heading: str, table, label) -> list[str]:
    """One aligned row per SDG / Action Line: explicit, via "All", total (from matrix.py)."""
    lines = ["", f"{heading:<52}{'explicit':>9}{'via All':>9}{'total':>7}"]
    for key, row in table.iterrows():
        name = _clip(label(key, row["name"]), 51)
        lines.append(f"{name:<52}{row['explicit']:>9}{row['via_all']:>9}{row['total']:>7}")
    return lines


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _objective_lines(corpus: Corpus) -> list[str]:
    lines = []
    for objective in corpus.objectives:
        commitments = corpus.by_objective(objective.objective)
        label = "" if objective.key == "FR" else f"Objective {objective.objective}: "
        lines.append(f"{label}{objective.title} — {len(commitments)}")
        for section in objective.sections:
            lines.append(f"    {section.title}: {len(corpus.by_section(section.title))}")
    return lines
