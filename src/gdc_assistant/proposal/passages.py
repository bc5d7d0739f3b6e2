"""A proposal's text cut into passages (what is embedded and compared) and sentences (evidence).

Passages of at most 96 word-piece tokens, well inside all-MiniLM-L6-v2's 256 (it was trained on
128): a passage about as long as a commitment matches it more sharply than a page does; 96 beat 64,
128 and 254 on the proposal questions (bench/proposal.py --quality). The overlap only applies where
a paragraph is longer than a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PASSAGE_TOKENS = 96
PASSAGE_OVERLAP_TOKENS = 24
CHARS_PER_TOKEN = 4  # for embedders without a tokenizer: a character-sized splitter
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]
# A sentence ends at . ! ? (or a line break) followed by space; "e.g. x" and "Dr. X" may split
# early, which only makes the highlighted evidence shorter.
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+(?=\s|$)|\n|$)")
MIN_SENTENCE_CHARS = 12


@dataclass(frozen=True)
class Passage:
    """A piece of the proposal that is embedded on its own; offsets index the proposal text."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of the proposal (offsets index the proposal text)."""

    text: str
    start: int
    end: int


def split_proposal(text: str, *, embedder: object) -> list[Passage]:
    """Split text into overlapping passages sized to the embedder's window (words only)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    tokenizer = getattr(embedder, "tokenizer", None)
    options = {"separators": _SEPARATORS, "keep_separator": "end", "add_start_index": True}
    if tokenizer is not None:
        # tokenizer.tokenize() counts word pieces without [CLS]/[SEP]; keep room for those two.
        window = int(getattr(embedder, "max_seq_length", PASSAGE_TOKENS + 2)) - 2
        size = min(PASSAGE_TOKENS, window)
        splitter = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
            tokenizer,
            chunk_size=size,
            chunk_overlap=min(PASSAGE_OVERLAP_TOKENS, size // 4),
            **options,
        )
    else:
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=PASSAGE_TOKENS * CHARS_PER_TOKEN,
            chunk_overlap=PASSAGE_OVERLAP_TOKENS * CHARS_PER_TOKEN,
            **options,
        )
    passages = []
    for document in splitter.create_documents([text]):
        chunk = document.page_content.strip()
        if not any(ch.isalnum() for ch in chunk):
            continue  # a rule of dashes or a row of emoji: nothing to compare
        start = text.find(chunk, max(0, int(document.metadata.get("start_index", 0))))
        start = start if start >= 0 else text.find(chunk)
        passages.append(Passage(len(passages), chunk, start, start + len(chunk)))
    return passages


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a text with words in them, with their offsets."""
    out = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if len(stripped) < MIN_SENTENCE_CHARS or not any(ch.isalpha() for ch in stripped):
            continue
        start = match.start() + raw.index(stripped)
        out.append(Sentence(stripped, start, start + len(stripped)))
    return out
