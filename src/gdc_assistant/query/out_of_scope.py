"""Names the source never uses: a question about "the EU AI Act" is not answered by the matrix.

Dense similarity alone cannot tell "What does the compact say about AI oversight?" from "Which AI
systems does the EU AI Act classify as high-risk?": both sit close to the AI commitments. A proper
name or acronym in an English question that appears nowhere in the matrix (commitments, headings,
SDG and Action Line names, nor the usual acronyms below) is a strong sign the question is about
something else; the answer then says so instead of presenting weak hits as if they answered.
"""

from __future__ import annotations

import re

from ..corpus import Corpus
from .patterns import COMMITMENT_ID

# Acronyms and short forms people use for things the matrix spells out in full, and "Pact"
# (the GDC is an annex to the Pact for the Future).
KNOWN_TERMS = frozenset(
    """ai ict icts sdg sdgs gdc wsis igf itu unicef unesco undp unctad ohchr cstd hlpf ecosoc un
    dpi dpg dpgs msme msmes sme smes stem giga csam cse gbv tfgbv it iot api apis pact
    onu uno oun odd ods cmsi smsi wsis pme pymes pyme kmu""".split()
)
# The framework's own names in other Latin-script languages (capitalised in questions, absent
# from the English matrix): the UN, the Compact, the Pact, the SDGs, AI, ICT, the Summit.
KNOWN_FOREIGN_TERMS = frozenset(
    """nations unies pacte numérique mondial objectifs objectif développement durable
    intelligence artificielle ia tic avenir sommet naciones unidas pacto digital global
    objetivos objetivo desarrollo sostenible inteligencia cumbre futuro agenda nações unidas
    desenvolvimento sustentável inteligência cúpula vereinte nationen globaler digitalpakt
    nachhaltige nachhaltigen entwicklungsziele nachhaltigkeitsziele künstliche intelligenz ki ikt
    zukunftspakt zukunft gipfel nazioni unite patto digitale globale obiettivi sviluppo
    sostenibile intelligenza artificiale internet""".split()
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# A run of capitalised words (allowing short lower-case joiners inside: "Convention against X").
_NAME = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|on|for|the|and|against|de|du)\s+)*[A-Z][\w'’-]*)*"
)


def vocabulary(corpus: Corpus) -> frozenset[str]:
    """Every word the matrix uses (case-folded), with SDG, Action Line and objective names, in
    English and in the commitments' translations (a French question may name "le Forum sur la
    gouvernance de l'Internet", which the matrix names in English)."""
    texts = [c.text for c in corpus]
    texts += [c.section or "" for c in corpus] + [o.title for o in corpus.objectives]
    texts += list(corpus.sdg_names.values()) + list(corpus.action_line_names.values())
    texts += [t for texts_in in corpus.translations.values() for t in texts_in.values()]
    texts += [
        f"{code} WSIS Action Line objective section goal" for code in corpus.action_line_names
    ]
    words = {w.casefold().strip("'’-") for t in texts for w in _WORD.findall(t)}
    stems = {w[:-1] for w in words if w.endswith("s")}
    return frozenset(words | stems | KNOWN_TERMS)


def unknown_names(question: str, known: frozenset[str]) -> tuple[str, ...]:
    """Multi-word proper names in the question ("EU AI Act", "Paris Agreement") with a word the
    matrix never uses. Single words are left alone: people write "ID", "NGOs" or "GPU" for things
    the matrix spells out (measured on the dev split, where they would have wrongly abstained)."""
    found = []
    for sentence in re.split(r"(?<=[.?!])\s+", question.strip()):
        for match in _NAME.finditer(sentence):
            name = match.group(0)
            words = [w.casefold().strip("'’-") for w in _WORD.findall(name)]
            if match.start() == 0 and len(words) == 1 and not name.isupper():
                continue  # the capital of a sentence's first word says nothing
            if match.start() == 0 and not name.split()[0].isupper():
                words = words[1:]  # "Which AI systems ..." -> judge "AI" only
            unknown = [w for w in words if w not in known and w.rstrip("s") not in known]
            if unknown and len(words) >= 2:
                found.append(name)
    return tuple(found)


# In other Latin-script languages capitals also mark ordinary nouns (German) and the names of
# the framework itself ("Objetivos de Desarrollo Sostenible"), so only stronger signs count: two
# or more capitalised words in a row with one the matrix never uses ("Digital Services Act",
# "Marco Civil"), or an unknown acronym ("DSA", "RGPD").
_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")


def unknown_names_foreign(question: str, known: frozenset[str]) -> tuple[str, ...]:
    """unknown_names() for French, Spanish, German, Portuguese and other Latin-script questions."""
    known = known | KNOWN_FOREIGN_TERMS
    question = COMMITMENT_ID.sub(" ", question)  # "O4-DATA-DEV-03" holds no acronym
    found = []
    for sentence in re.split(r"(?<=[.?!])\s+", question.strip()):
        for match in _RUN.finditer(sentence):
            words = [w.casefold().strip("'’-") for w in _WORD.findall(match.group(0))]
            if match.start() == 0:
                words = words[1:]
            unknown = [w for w in words if w not in known and w.rstrip("s") not in known]
            if len(words) >= 2 and unknown:
                found.append(match.group(0))
        for match in _ACRONYM.finditer(sentence):
            word = match.group(0).casefold()
            if word not in known and word.rstrip("s") not in known:
                found.append(match.group(0))
    return tuple(dict.fromkeys(found))
