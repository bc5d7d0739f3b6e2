"""Which language a question is in."""

from __future__ import annotations

import re

_EN_WORDS = frozenset(
    "the is are which what how many of to and on about commitments commitment does do with for "
    "in show list mapped under who that this these those more any".split()
)
_FR_WORDS = frozenset(
    "le les des du est sont quels quelles quel quelle combien engagements engagement avec pour "
    "dans sur une qui ce ces cette au aux et ou liés lié liées relatifs concernant odd objectif "
    "objectifs numérique données droits pas mais leur leurs il elle ils ont montrez montre "
    "quoi parmi ceux également vie privée".split()
)
_ES_WORDS = frozenset(
    "el los las del es son cuáles cuál cuántos cuántas cuantos compromisos compromiso con para "
    "sobre una qué por al lo y hay están relacionados relacionadas ods objetivo objetivos "
    "digitales datos derechos privacidad inteligencia muestra también pero su sus estos esos "
    "cuales ellos".split()
)


def detect_language(text: str) -> str:
    """ISO 639-1 guess: 'ar' for Arabic script, 'fr' / 'es' by stop words and accents, else 'en'."""
    if re.search(r"[\u0600-\u06ff\u0750-\u077f]", text):
        return "ar"
    lowered = text.casefold()
    words = re.findall(r"[^\W\d_]+", lowered)
    scores = {
        "en": sum(w in _EN_WORDS for w in words),
        "fr": sum(w in _FR_WORDS for w in words) + 2 * len(re.findall(r"[çèêëàâîôûœ]", lowered)),
        "es": sum(w in _ES_WORDS for w in words) + 2 * len(re.findall(r"[ñ¿¡áíóú]", lowered)),
    }
    if re.search(r"\b(?:l|d|qu)['’]\w", lowered):
        scores["fr"] += 2
    best = max(("fr", "es"), key=lambda lang: scores[lang])
    return best if scores[best] > scores["en"] else "en"
