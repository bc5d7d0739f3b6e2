"""The Chroma index: build, update and open it. The only module that imports chromadb.

Layout (embedded at `index/`, or in a Chroma server): every build writes fresh collections named
`gdc-<build id>-<embedder role>`; a small pointer collection (`gdc-current`) holds, in its
metadata, the manifest of the build in use. Switching the pointer is one metadata update, so an
interrupted or failed build never replaces a good index; stale collections are removed afterwards.
Unchanged commitments are not re-embedded: their vectors are copied from the current build,
matched by a hash of the embedded text and the model name.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from .config import Settings
from .corpus import Commitment, Corpus, Filters, load_corpus
from .embeddings import Embedder, get_embedder
from .errors import ChromaServerError, IndexCorruptError, IndexNotFoundError

POINTER = "gdc-current"
EMBED_TEXT_VERSION = "section+text/1"
_PRIMARY, _MULTILINGUAL = "main", "multi"


def embed_text(commitment: Commitment) -> str:
    """The text embedded for a commitment: its section heading (context) and its own wording."""
    if commitment.section:
        return f"{commitment.section}: {commitment.text}"
    return commitment.text


@dataclass(frozen=True)
class DenseMatch:
    id: str
    score: float  # cosine similarity


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
    ) -> None:
        self.corpus = corpus
        self.settings = settings
        self.embedder = embedder
        self.multilingual = multilingual
        self.manifest = manifest
        self._collections = collections
        self._counts = {role: manifest["count"] for role in collections}
        self._by_id = {c.id: c for c in corpus.commitments}

    def __len__(self) -> int:
        return len(self._by_id)

    def commitment(self, commitment_id: str) -> Commitment:
        return self._by_id[commitment_id]

    def has_multilingual(self) -> bool:
        return self.multilingual is not None and _MULTILINGUAL in self._collections

    def dense(
        self,
        vectors: np.ndarray,
        *,
        k: int,
        filters: Sequence[Filters] = (),
        multilingual: bool = False,
    ) -> list[list[DenseMatch]]:
        """Nearest commitments for each query vector, best first, meeting every filter."""
        role = _MULTILINGUAL if multilingual else _PRIMARY
        n = min(k, self._counts[role])
        if n == 0:
            return [[] for _ in range(len(vectors))]
        collection = self._collections[role]
        where = _where_all(filters)
        try:
            result = collection.query(
                query_embeddings=np.asarray(vectors, dtype=np.float32).tolist(),
                n_results=n,
                where=where,
                include=["distances"],
            )
        except Exception as exc:
            raise _translate(exc, self.settings) from exc
        return [
            [DenseMatch(id=i, score=1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], result["distances"], strict=True)
        ]


# --------------------------------------------------------------------------- filters -> where


def _where_all(filters: Sequence[Filters]) -> dict | None:
    clauses = [w for w in (_where(f) for f in filters) if w is not None]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _where(filters: Filters) -> dict | None:
    clauses: list[dict] = []
    if filters.sdgs:
        options: list[dict] = [{"sdgs": {"$contains": s}} for s in filters.sdgs]
        if filters.include_all:
            options.append({"sdgs_all": True})
        clauses.append(_any(options))
    if filters.action_lines:
        options = [_action_line_clause(code) for code in filters.action_lines]
        if filters.include_all:
            options.append({"action_lines_all": True})
        clauses.append(_any(options))
    if filters.objectives:
        clauses.append(_any([{"objective": str(o)} for o in filters.objectives]))
    if filters.sections:
        clauses.append(_any([{"section": s} for s in filters.sections]))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _action_line_clause(code: str) -> dict:
    if code == "C7":  # a bare C7 matches every C7 sub-line
        return {"action_line_groups": {"$contains": "C7"}}
    return {"action_lines": {"$contains": code}}


def _any(options: list[dict]) -> dict:
    return options[0] if len(options) == 1 else {"$or": options}


def _metadata(commitment: Commitment, text_hash: str) -> dict:
    """Chroma metadata: list values must be non-empty, so empty lists are left out."""
    metadata: dict[str, Any] = {
        "objective": str(commitment.objective),
        "section": commitment.section or "",
        "sdgs_all": commitment.sdgs_all,
        "action_lines_all": commitment.action_lines_all,
        "text_hash": text_hash,
    }
    if commitment.sdgs and not commitment.sdgs_all:
        metadata["sdgs"] = list(commitment.sdgs)
    if commitment.action_lines and not commitment.action_lines_all:
        metadata["action_lines"] = list(commitment.action_lines)
        metadata["action_line_groups"] = sorted({a.split(" ")[0] for a in commitment.action_lines})
    return metadata


# --------------------------------------------------------------------------- clients


def _client(settings: Settings, *, create: bool):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise ChromaServerError(
                f"GDC_ASSISTANT_CHROMA_URL={settings.chroma_url!r} is not a URL like "
                "http://localhost:8000"
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise _server_down(settings, exc) from exc
    path = Path(settings.index_path)
    if not create and not (path / "chroma.sqlite3").exists():
        raise IndexNotFoundError(
            f"no index at {path}: run `gdc-assistant index build` (the app builds it on first run)."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise _corrupt(settings, exc) from exc


def _server_down(settings: Settings, exc: BaseException) -> ChromaServerError:
    return ChromaServerError(
        f"cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}). "
        "Start it (`chroma run --path DIR --port PORT`) or unset GDC_ASSISTANT_CHROMA_URL to use "
        "the embedded index."
    )


def _corrupt(settings: Settings, exc: BaseException) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index at {settings.index_path} cannot be read ({type(exc).__name__}: {exc}). "
        "Run `gdc-assistant index build --force` to rebuild it (the damaged copy is kept aside)."
    )


def _translate(exc: BaseException, settings: Settings) -> Exception:
    if settings.chroma_url:
        return _server_down(settings, exc)
    return _corrupt(settings, exc)


def _collection_names(client) -> set[str]:
    # list_collections() gives Collection objects in chromadb 1.x and plain names in some versions
    return {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}


def _read_manifest(client, settings: Settings) -> dict | None:
    try:
        names = _collection_names(client)
        if POINTER not in names:
            return None
        metadata = client.get_collection(POINTER, embedding_function=None).metadata or {}
        return json.loads(metadata["manifest"])
    except (KeyError, ValueError) as exc:
        raise _corrupt(settings, exc) from exc
    except Exception as exc:
        raise _translate(exc, settings) from exc


# --------------------------------------------------------------------------- open / build


def open_index(
    settings: Settings,
    *,
    corpus: Corpus | None = None,
    embedder: Embedder | None = None,
) -> Index:
    """Open the current build; raises IndexNotFoundError / IndexCorruptError / ChromaServerError."""
    corpus = load_corpus(settings.corpus_path) if corpus is None else corpus
    client = _client(settings, create=False)
    manifest = _read_manifest(client, settings)
    if manifest is None:
        raise IndexNotFoundError(
            f"no index in {_where_label(settings)}: run `gdc-assistant index build` "
            "(the app builds it on first run)."
        )
    return _open_build(client, manifest, corpus, settings, embedder)


def _open_build(client, manifest, corpus, settings, embedder) -> Index:
    embedder = embedder or get_embedder(manifest["model"])
    if embedder.name != manifest["model"]:
        raise IndexCorruptError(
            f"the index was built with {manifest['model']!r} but {embedder.name!r} is configured: "
            "run `gdc-assistant index build` to rebuild it for this model."
        )
    try:
        collections = {
            role: client.get_collection(name, embedding_function=None)
            for role, name in manifest["collections"].items()
        }
    except Exception as exc:
        raise _translate(exc, settings) from exc
    multilingual = None
    if _MULTILINGUAL in collections:
        multilingual = get_embedder(manifest["multilingual_model"])
    return Index(
        corpus=corpus,
        settings=settings,
        embedder=embedder,
        multilingual=multilingual,
        collections=collections,
        manifest=manifest,
    )


def index_status(settings: Settings) -> dict | None:
    """The manifest of the current build, or None when there is no index yet."""
    try:
        return _read_manifest(_client(settings, create=False), settings)
    except IndexNotFoundError:
        return None


def list_collections(settings: Settings) -> list[str]:
    """Names of the Chroma collections in the configured store (for status and checks)."""
    client = _client(settings, create=False)
    try:
        return sorted(_collection_names(client))
    except Exception as exc:
        raise _translate(exc, settings) from exc


def ensure_index(settings: Settings, *, progress: bool = False) -> Index:
    """Open the index, building (or updating) it first when it is missing or out of date."""
    return build_index(load_corpus(settings.corpus_path), settings=settings, progress=progress)


def build_index(
    corpus: Corpus,
    *,
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool = False,
    force: bool = False,
) -> Index:
    """Build or update the index for this corpus and model; a no-op when nothing changed."""
    embedder = embedder or get_embedder(settings.model)
    multilingual = (
        get_embedder(settings.multilingual_model) if settings.multilingual_model else None
    )
    client = _open_client_for_build(settings, force=force)
    current = None if force else _read_manifest(client, settings)
    wanted = _wanted_manifest(corpus, embedder, multilingual)
    if current is not None and _same_build(current, wanted):
        return _open_build(client, current, corpus, settings, embedder)
    build_id = f"{int(time.time() * 1000):x}"
    started = time.perf_counter()
    collections: dict[str, str] = {}
    roles = [(_PRIMARY, embedder)] + ([(_MULTILINGUAL, multilingual)] if multilingual else [])
    try:
        for role, role_embedder in roles:
            name = collections[role] = f"gdc-{build_id}-{role}"
            _write_collection(
                client,
                name,
                corpus.commitments,
                role_embedder,
                reuse=_reusable_vectors(client, current, role, role_embedder.name),
                progress=progress,
                label=f"Embedding commitments ({role_embedder.name})",
            )
        manifest = {
            **wanted,
            "collections": collections,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 3),
        }
        _switch_pointer(client, manifest)
    except BaseException:
        _drop_collections(client, collections.values())
        raise
    _drop_stale(client, keep=set(collections.values()))
    return _open_build(client, manifest, corpus, settings, embedder)


def _open_client_for_build(settings: Settings, *, force: bool):
    try:
        client = _client(settings, create=True)
        if not settings.chroma_url:
            client.list_collections()  # touches SQLite: fails here when the files are damaged
        return client
    except Exception as exc:
        if settings.chroma_url:
            raise _translate(exc, settings) from exc
        if not force:
            raise _corrupt(settings, exc) from exc
    from chromadb.api.shared_system_client import SharedSystemClient

    _set_aside(Path(settings.index_path))
    SharedSystemClient.clear_system_cache()  # forget the client bound to the damaged files
    return _client(settings, create=True)


def _set_aside(path: Path) -> None:
    """Move a damaged embedded index out of the way instead of deleting it."""
    if path.exists():
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        path.rename(aside)
        print(f"Moved the damaged index to {aside}", file=sys.stderr)


def _wanted_manifest(corpus: Corpus, embedder: Embedder, multilingual: Embedder | None) -> dict:
    texts = "\n".join(f"{c.id}\t{embed_text(c)}\t{_mapping_key(c)}" for c in corpus.commitments)
    return {
        "format": 1,
        "model": embedder.name,
        "multilingual_model": multilingual.name if multilingual else None,
        "embed_text": EMBED_TEXT_VERSION,
        "corpus_hash": hashlib.sha256(texts.encode("utf-8")).hexdigest(),
        "count": len(corpus.commitments),
    }


def _mapping_key(c: Commitment) -> str:
    return json.dumps([c.sdgs, c.sdgs_all, c.action_lines, c.action_lines_all, c.objective])


def _same_build(current: dict, wanted: dict) -> bool:
    return all(current.get(key) == value for key, value in wanted.items())


def _text_hash(commitment: Commitment, model: str) -> str:
    payload = f"{model}\n{EMBED_TEXT_VERSION}\n{embed_text(commitment)}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _reusable_vectors(client, current: dict | None, role: str, model: str) -> dict[str, list]:
    """text hash -> vector from the current build, for commitments whose text is unchanged."""
    if current is None or role not in current.get("collections", {}):
        return {}
    if current.get("model" if role == _PRIMARY else "multilingual_model") != model:
        return {}  # a new model means every vector is recomputed
    try:
        collection = client.get_collection(current["collections"][role], embedding_function=None)
        stored = collection.get(include=["embeddings", "metadatas"])
    except Exception:
        return {}  # nothing reusable: embed everything
    return {
        meta["text_hash"]: list(vector)
        for meta, vector in zip(stored["metadatas"], stored["embeddings"], strict=True)
    }


def _write_collection(
    client,
    name: str,
    commitments: Sequence[Commitment],
    embedder: Embedder,
    *,
    reuse: dict[str, list],
    progress: bool,
    label: str,
    batch_size: int = 32,
) -> None:
    from tqdm import tqdm

    collection = client.create_collection(
        name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    hashes = [_text_hash(c, embedder.name) for c in commitments]
    todo = [i for i, h in enumerate(hashes) if h not in reuse]
    vectors: dict[int, list] = {i: reuse[h] for i, h in enumerate(hashes) if h in reuse}
    with tqdm(total=len(todo), desc=label, unit="text", disable=not progress or not todo) as bar:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            embedded = embedder.embed([embed_text(commitments[i]) for i in batch])
            vectors.update({i: row.tolist() for i, row in zip(batch, embedded, strict=True)})
            bar.update(len(batch))
    for start in range(0, len(commitments), 500):
        part = range(start, min(start + 500, len(commitments)))
        collection.add(
            ids=[commitments[i].id for i in part],
            embeddings=[vectors[i] for i in part],
            metadatas=[_metadata(commitments[i], hashes[i]) for i in part],
            documents=[commitments[i].text for i in part],
        )


def _switch_pointer(client, manifest: dict) -> None:
    metadata = {"manifest": json.dumps(manifest, sort_keys=True)}
    names = _collection_names(client)
    if POINTER in names:
        client.get_collection(POINTER, embedding_function=None).modify(metadata=metadata)
    else:
        client.create_collection(POINTER, embedding_function=None, metadata=metadata)


def _drop_collections(client, names) -> None:
    for name in names:
        try:
            client.delete_collection(name)
        except Exception:
            pass  # best effort: a later build removes leftovers too


def _drop_stale(client, *, keep: set[str]) -> None:
    names = _collection_names(client)
    _drop_collections(client, {n for n in names if n.startswith("gdc-") and n != POINTER} - keep)


def _where_label(settings: Settings) -> str:
    return (
        f"the Chroma server at {settings.chroma_url}"
        if settings.chroma_url
        else str(settings.index_path)
    )
