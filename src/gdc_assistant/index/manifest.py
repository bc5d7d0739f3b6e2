"""What a build is made of: the text embedded per commitment, content hashes and the manifest
that says which model, corpus and recipe a build used (so a stale index is recognised).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..corpus import Commitment, Corpus

FORMAT = 1
EMBED_TEXT_VERSION = "section+text/1"


def embed_text(commitment: Commitment) -> str:
    """The text embedded for a commitment: its section heading (context) and its own wording."""
    if commitment.section:
        return f"{commitment.section}: {commitment.text}"
    return commitment.text


@dataclass(frozen=True)
class Document:
    """One embedded text: a commitment's English wording, or its translation into `language`."""

    id: str  # in its collection: the commitment id, "<id>@<language>", "<id>#<n>" (situations)
    commitment: Commitment
    text: str
    language: str = "en"


def english_documents(corpus: Corpus) -> list[Document]:
    return [Document(id=c.id, commitment=c, text=embed_text(c)) for c in corpus.commitments]


def translated_documents(corpus: Corpus) -> list[Document]:
    """Every translation (translations.py), language by language, in corpus order (a commitment
    without one, in a corpus assembled in code, is matched across languages only)."""
    return [
        Document(id=f"{c.id}@{lang}", commitment=c, text=texts[c.id], language=lang)
        for lang, texts in sorted(corpus.translations.items())
        for c in corpus.commitments
        if c.id in texts
    ]


def situation_documents(corpus: Corpus) -> list[Document]:
    """Every everyday situation (situations.py), commitment by commitment, in corpus order."""
    return [
        Document(id=f"{c.id}#{n}", commitment=c, text=text)
        for c in corpus.commitments
        for n, text in enumerate(corpus.situations.get(c.id, ()), start=1)
    ]


def commitment_id(document_id: str) -> str:
    """The commitment a document of any collection belongs to."""
    return document_id.split("@")[0].split("#")[0]


def text_hash(text: str, model: str) -> str:
    """Hash of what one vector was computed from: unchanged hashes reuse their vectors."""
    payload = f"{model}\n{EMBED_TEXT_VERSION}\n{text}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def corpus_hash(corpus: Corpus) -> str:
    """Hash of every embedded text and mapping: a changed commitment or translation changes it.
    (Without translations and situations it is the hash earlier versions wrote.)"""
    texts = "\n".join(f"{c.id}\t{embed_text(c)}\t{_mapping_key(c)}" for c in corpus.commitments)
    texts += "".join(f"\n{d.id}\t{d.text}" for d in translated_documents(corpus))
    texts += "".join(f"\n{d.id}\t{d.text}" for d in situation_documents(corpus))
    return hashlib.sha256(texts.encode("utf-8")).hexdigest()


def _mapping_key(c: Commitment) -> str:
    return json.dumps([c.sdgs, c.sdgs_all, c.action_lines, c.action_lines_all, c.objective])


def wanted_manifest(corpus: Corpus, *, model: str, multilingual_model: str | None) -> dict:
    """The manifest a build of this corpus with these models has."""
    return {
        "format": FORMAT,
        "model": model,
        "multilingual_model": multilingual_model,
        "embed_text": EMBED_TEXT_VERSION,
        "corpus_hash": corpus_hash(corpus),
        "count": len(corpus.commitments),
        "translations": sorted(corpus.translations) if multilingual_model else [],
    }


def same_build(current: dict, wanted: dict) -> bool:
    """True when the current build already is what `wanted` describes."""
    return all(current.get(key) == value for key, value in wanted.items())


def stale_reason(current: dict, wanted: dict) -> str | None:
    """Why a build cannot serve `wanted` (in words), or None when it can.

    A build with a multilingual collection serves settings without one (it is simply not used).
    """
    if (
        current.get("format") != wanted["format"]
        or current.get("embed_text") != (wanted["embed_text"])
    ):
        return "by another version of GDC Assistant"
    if current.get("model") != wanted["model"]:
        return f"with the model {current.get('model')!r}, but {wanted['model']!r} is configured"
    multilingual = wanted["multilingual_model"]
    if multilingual and current.get("multilingual_model") != multilingual:
        built = current.get("multilingual_model")
        had = f"with the multilingual model {built!r}" if built else "without a multilingual model"
        return f"{had}, but {multilingual!r} is configured"
    if current.get("corpus_hash") != wanted["corpus_hash"]:
        return (
            f"from another version of the corpus ({current.get('count')} commitments; "
            f"{wanted['count']} now)"
        )
    return None
