"""Build or update the index, atomically and one builder at a time.

Layout (embedded at `index/`, or in a Chroma server): every build writes fresh collections named
`gdc-<build id>-<embedder role>`; a small pointer collection (`gdc-current`) holds, in its
metadata, the manifest of the build in use and when earlier builds were retired. Switching the
pointer is one metadata update, so an interrupted or failed build never replaces a good index.
A retired build stays for a grace period, so processes that opened it keep answering; older
builds, leftovers of killed builds and their HNSW folders are removed by later builds.
Unchanged commitments are not re-embedded: their vectors are copied from the current build,
matched by a hash of the embedded text and the model name.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..config import Settings
from ..corpus import Corpus, load_corpus
from ..embeddings import Embedder, get_embedder
from ..errors import ChromaServerError, IndexCorruptError
from . import manifest as recipe
from .client import (
    POINTER,
    chroma_errors,
    collection_names,
    connect,
    is_read_only,
    manifest_of,
    read_only,
    read_pointer,
    with_retries,
)
from .lock import DEFAULT_WAIT, build_lock
from .store import (
    MINILM_ROLES,
    MULTILINGUAL,
    PRIMARY,
    SITUATIONS,
    SITUATIONS_MULTILINGUAL,
    TRANSLATED,
    Index,
    open_build,
)
from .where import metadata

GRACE_SECONDS = 15 * 60.0  # a retired build is kept this long for processes that still use it


def ensure_index(settings: Settings, *, progress: bool = False) -> Index:
    """Open the index, building or updating it first (the app's first start; library users)."""
    return build_index(load_corpus(settings.corpus_path), settings=settings, progress=progress)


def build_index(
    corpus: Corpus,
    *,
    settings: Settings,
    embedder: Embedder | None = None,
    progress: bool = False,
    force: bool = False,
    wait: float = DEFAULT_WAIT,
    grace: float = GRACE_SECONDS,
) -> Index:
    """Build or update the index for this corpus and model; a no-op when nothing changed.

    Takes the build lock (waiting up to `wait` seconds for another builder). `force` re-embeds
    everything and sets a damaged embedded index aside. Builds retired more than `grace` seconds
    ago are dropped.
    """
    embedder = embedder or get_embedder(settings.model)
    multilingual = (
        get_embedder(settings.multilingual_model) if settings.multilingual_model else None
    )
    wanted = recipe.wanted_manifest(
        corpus, model=embedder.name, multilingual_model=multilingual.name if multilingual else None
    )
    if not settings.chroma_url and is_read_only(settings.index_path):
        raise read_only(settings)
    with build_lock(settings, wait=wait, progress=progress):
        client, pointer = _open_for_build(settings, force=force)
        current = manifest_of(pointer, settings)
        if not force and current is not None and recipe.same_build(current, wanted):
            manifest = current
        else:
            roles = _roles(corpus, embedder=embedder, multilingual=multilingual)
            manifest = _write_build(
                client,
                corpus,
                wanted,
                roles=roles,
                reuse_from=None if force else current,
                settings=settings,
                progress=progress,
            )
            retired = _switch_pointer(client, manifest, pointer=pointer, settings=settings)
            _drop_old_builds(
                client, settings, keep=manifest["build_id"], retired=retired, grace=grace
            )
            if not settings.chroma_url:
                _remove_orphan_folders(Path(settings.index_path))
    return open_build(
        client,
        manifest,
        corpus=corpus,
        settings=settings,
        embedder=embedder,
        multilingual=multilingual is not None,
    )


def _open_for_build(settings: Settings, *, force: bool) -> tuple[Any, dict | None]:
    """A client and the pointer's metadata; with `force`, a damaged index is set aside first."""
    try:
        client = connect(settings, create=True)
        return client, read_pointer(client, settings)
    except IndexCorruptError:
        if settings.chroma_url or not force:
            raise
    from chromadb.api.shared_system_client import SharedSystemClient

    _set_aside(Path(settings.index_path))
    SharedSystemClient.clear_system_cache()  # forget the client bound to the damaged files
    return connect(settings, create=True), None


def _set_aside(path: Path) -> None:
    """Move a damaged embedded index out of the way instead of deleting it."""
    if path.exists():
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        path.rename(aside)
        print(f"Moved the damaged index to {aside}", file=sys.stderr)


def new_build_id() -> str:
    """Milliseconds since the epoch (hex) and a random part: unique even in the same millisecond."""
    return f"{int(time.time() * 1000):x}-{secrets.token_hex(4)}"


def _build_of(name: str) -> str | None:
    """The build id in a collection name `gdc-<build id>-<role>`, or None for other names."""
    if not name.startswith("gdc-") or name == POINTER or name.count("-") < 2:
        return None
    return name[len("gdc-") :].rsplit("-", 1)[0]


def _started(build: str) -> float | None:
    try:
        return int(build.split("-")[0], 16) / 1000
    except ValueError:
        return None


def _roles(
    corpus: Corpus, *, embedder: Embedder, multilingual: Embedder | None
) -> list[tuple[str, Embedder, list[recipe.Document]]]:
    """Each collection of a build: its role, its embedder and the texts it holds."""
    english = recipe.english_documents(corpus)
    situations = recipe.situation_documents(corpus)
    roles = [(PRIMARY, embedder, english)]
    if situations:
        roles.append((SITUATIONS, embedder, situations))
    if multilingual is not None:
        roles.append((MULTILINGUAL, multilingual, english))
        translated = recipe.translated_documents(corpus)
        if translated:
            roles.append((TRANSLATED, multilingual, translated))
        if situations:
            roles.append((SITUATIONS_MULTILINGUAL, multilingual, situations))
    return roles


def _write_build(
    client: Any,
    corpus: Corpus,
    wanted: dict,
    *,
    roles: Sequence[tuple[str, Embedder, list[recipe.Document]]],
    reuse_from: dict | None,
    settings: Settings,
    progress: bool,
) -> dict:
    build_id = new_build_id()
    started = time.perf_counter()
    collections: dict[str, str] = {}
    try:
        for role, role_embedder, documents in roles:
            name = collections[role] = f"gdc-{build_id}-{role}"
            _write_collection(
                client,
                name,
                documents,
                role_embedder,
                reuse=_reusable_vectors(client, reuse_from, role, role_embedder.name, settings),
                settings=settings,
                progress=progress,
                label=f"Embedding {role} texts ({role_embedder.name})",
            )
    except ChromaServerError:
        raise  # the server is gone or hung: a later build removes the leftovers
    except BaseException:
        _drop_collections(client, collections.values())
        raise
    return {
        **wanted,
        "build_id": build_id,
        "collections": collections,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.perf_counter() - started, 3),
    }


def _reusable_vectors(
    client: Any, current: dict | None, role: str, model: str, settings: Settings
) -> dict[str, list]:
    """text hash -> vector from the current build, for commitments whose text is unchanged."""
    if current is None or role not in current.get("collections", {}):
        return {}
    if current.get("model" if role in MINILM_ROLES else "multilingual_model") != model:
        return {}  # a new model means every vector is recomputed

    def read() -> dict:
        with chroma_errors(settings):
            collection = client.get_collection(
                current["collections"][role], embedding_function=None
            )
            return collection.get(include=["embeddings", "metadatas"])

    try:
        stored = with_retries(read, settings=settings)
    except IndexCorruptError:
        return {}  # nothing reusable: embed everything
    return {
        meta["text_hash"]: list(vector)
        for meta, vector in zip(stored["metadatas"], stored["embeddings"], strict=True)
    }


def _write_collection(
    client: Any,
    name: str,
    documents: Sequence[recipe.Document],
    embedder: Embedder,
    *,
    reuse: dict[str, list],
    settings: Settings,
    progress: bool,
    label: str,
    batch_size: int = 32,
) -> None:
    from tqdm import tqdm

    with chroma_errors(settings):
        collection = client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
    hashes = [recipe.text_hash(d.text, embedder.name) for d in documents]
    todo = [i for i, h in enumerate(hashes) if h not in reuse]
    vectors: dict[int, list] = {i: reuse[h] for i, h in enumerate(hashes) if h in reuse}
    with tqdm(total=len(todo), desc=label, unit="text", disable=not progress or not todo) as bar:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            embedded = embedder.embed([documents[i].text for i in batch])
            vectors.update({i: row.tolist() for i, row in zip(batch, embedded, strict=True)})
            bar.update(len(batch))
    for start in range(0, len(documents), 500):
        part = range(start, min(start + 500, len(documents)))
        with chroma_errors(settings):
            collection.add(
                ids=[documents[i].id for i in part],
                embeddings=[vectors[i] for i in part],
                metadatas=[
                    metadata(documents[i].commitment, hashes[i], language=documents[i].language)
                    for i in part
                ],
                documents=[documents[i].text for i in part],
            )


def _switch_pointer(
    client: Any, manifest: dict, *, pointer: dict | None, settings: Settings
) -> dict[str, float]:
    """Point at the new build; note when the build it replaces was retired. Returns that list."""
    retired: dict[str, float] = {}
    if pointer is not None:
        try:
            retired = {
                str(k): float(v) for k, v in json.loads(pointer.get("retired", "{}")).items()
            }
        except (ValueError, TypeError, AttributeError):
            retired = {}
        previous = manifest_of(pointer, settings)
        previous_build = previous.get("build_id") or _build_of(
            next(iter(previous.get("collections", {}).values()), "")
        )
        if previous_build:
            retired[previous_build] = time.time()
    with chroma_errors(settings):
        live = {_build_of(n) for n in collection_names(client)}
        retired = {build: at for build, at in retired.items() if build in live}
        metadata = {
            "manifest": json.dumps(manifest, sort_keys=True),
            "retired": json.dumps(retired, sort_keys=True),
        }
        if pointer is not None:
            client.get_collection(POINTER, embedding_function=None).modify(metadata=metadata)
        else:
            client.get_or_create_collection(POINTER, embedding_function=None, metadata=metadata)
            client.get_collection(POINTER, embedding_function=None).modify(metadata=metadata)
    return retired


def _drop_old_builds(
    client: Any, settings: Settings, *, keep: str, retired: dict[str, float], grace: float
) -> None:
    """Drop builds retired more than `grace` s ago, and leftovers older than that."""
    now = time.time()
    try:
        with chroma_errors(settings):
            names = collection_names(client)
    except ChromaServerError:
        return  # best effort: the next build tries again
    old = []
    for name in names:
        build = _build_of(name)
        if build is None or build == keep:
            continue
        since = retired.get(build, _started(build))
        if since is None or now - since >= grace:
            old.append(name)
    _drop_collections(client, old)


def _drop_collections(client: Any, names: Iterable[str]) -> None:
    for name in names:
        try:
            client.delete_collection(name)
        except Exception:
            pass  # best effort (another builder may have dropped it): a later build retries


def _remove_orphan_folders(path: Path) -> None:
    """Delete HNSW folders whose segment Chroma no longer knows (delete_collection leaves them)."""
    try:
        with sqlite3.connect(f"file:{path / 'chroma.sqlite3'}?mode=ro", uri=True) as db:
            live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
    except sqlite3.Error:
        return  # another Chroma layout: leave the folders alone
    folders = [p for p in path.iterdir() if p.is_dir() and _is_uuid(p.name)]
    if not live & {p.name for p in folders}:
        return  # no folder matches a live segment: the layout is not what we expect
    for folder in folders:
        if folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False
