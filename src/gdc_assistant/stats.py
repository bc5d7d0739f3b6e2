"""Corpus statistics: counts per objective, section, SDG and Action Line."""

from __future__ import annotations

from .corpus import ALL_ACTION_LINES, Corpus


def render_stats(corpus: Corpus) -> str:
    """A plain-text report of how the commitments are spread over objectives and mappings."""
    lines = [f"{len(corpus)} distinct commitments", ""]
    lines += _objective_lines(corpus)
    lines += ["", f"{'SDG':<52}{'explicit':>9}{'via All':>9}{'total':>7}"]
    for number, name in corpus.sdg_names.items():
        explicit = len(corpus.by_sdg(number, include_all=False))
        total = len(corpus.by_sdg(number))
        lines.append(f"{f'SDG {number} {name}':<52}{explicit:>9}{total - explicit:>9}{total:>7}")
    lines += ["", f"{'WSIS Action Line':<52}{'explicit':>9}{'via All':>9}{'total':>7}"]
    for code, name in corpus.action_line_names.items():
        explicit = len(corpus.by_action_line(code, include_all=False))
        total = len(corpus.by_action_line(code))
        if code not in ALL_ACTION_LINES and explicit == 0:
            continue  # a C7 sub-line the source never names explicitly (E-science)
        label = f"{code} {name}" if " " not in code else f"  {code}"
        lines.append(f"{_clip(label, 51):<52}{explicit:>9}{total - explicit:>9}{total:>7}")
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
