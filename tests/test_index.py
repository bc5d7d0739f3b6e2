"""The Chroma index: embedded and server modes, idempotent, incremental and atomic builds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from fakes import KeywordEmbedder

from gdc_assistant.config import Settings
from gdc_assistant.corpus import Corpus, Filters
from gdc_assistant.errors import (
    ChromaServerError,
    IndexBusyError,
    IndexCorruptError,
    IndexNotFoundError,
    IndexStaleError,
)
from gdc_assistant.index.build import build_index
from gdc_assistant.index.manifest import english_documents, situation_documents
from gdc_assistant.index.store import index_status, list_collections, open_index


def _settings(path: Path, **kw) -> Settings:
    return Settings(index_path=path, multilingual_model=None, **kw)


def _texts(corpus: Corpus) -> int:
    """Texts a build embeds with one model: each commitment and each everyday situation."""
    return len(english_documents(corpus)) + len(situation_documents(corpus))


def _with_text(corpus: Corpus, cid: str, text: str) -> Corpus:
    commitments = tuple(
        dataclasses.replace(c, text=text) if c.id == cid else c for c in corpus.commitments
    )
    return dataclasses.replace(corpus, commitments=commitments)


def _top(index, text: str, k: int = 3, **filters) -> list[str]:
    vector = index.embedder.embed([text])
    flt = [Filters(**filters)] if filters else []
    return [m.id for m in index.dense(vector, k=k, filters=flt)[0]]


def test_build_then_open_and_query(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    embedder = KeywordEmbedder()
    build_index(corpus, settings=settings, embedder=embedder)
    index = open_index(settings, embedder=KeywordEmbedder())
    assert len(index) == 85
    assert index.manifest["model"] == "fake/keywords"
    assert "O3-IG-04" in _top(index, "internet shutdowns", k=3)


def test_rebuild_with_nothing_changed_embeds_nothing(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    first = KeywordEmbedder()
    build_index(corpus, settings=settings, embedder=first)
    assert first.texts_embedded == _texts(corpus)  # each commitment and each situation
    again = KeywordEmbedder()
    index = build_index(corpus, settings=settings, embedder=again)
    assert again.calls == 0
    assert index.manifest["collections"] == index_status(settings)["collections"]


def test_changed_commitment_is_the_only_one_re_embedded(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    changed = _with_text(corpus, "O2-01", "Climate climate climate")
    embedder = KeywordEmbedder()
    index = build_index(changed, settings=settings, embedder=embedder)
    assert embedder.texts_embedded == 1
    assert _top(index, "climate", k=1) == ["O2-01"]


def test_model_change_rebuilds_everything(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    other = KeywordEmbedder(name="fake/other-model")
    index = build_index(corpus, settings=settings, embedder=other)
    assert other.texts_embedded == _texts(corpus)
    assert index.manifest["model"] == "fake/other-model"


def test_opening_with_another_model_says_rebuild(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    with pytest.raises(IndexCorruptError, match="gdc-assistant index build"):
        open_index(settings, embedder=KeywordEmbedder(name="fake/other-model"))


def test_interrupted_build_keeps_the_good_index(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    before = index_status(settings)
    crashing = KeywordEmbedder(name="fake/crashing", fail_after=32)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(corpus, settings=settings, embedder=crashing)
    assert index_status(settings) == before
    index = open_index(settings, embedder=KeywordEmbedder())
    assert "O3-IG-04" in _top(index, "internet shutdowns")
    # the half-written collection was removed
    assert set(list_collections(settings)) == {"gdc-current", *before["collections"].values()}


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexNotFoundError, match="gdc-assistant index build"):
        open_index(_settings(tmp_path / "nothing-here"))


def test_corrupt_index_says_how_to_fix_and_force_rebuild_recovers(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    (settings.index_path / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexCorruptError, match="--force"):
        open_index(settings, embedder=KeywordEmbedder())
    with pytest.raises(IndexCorruptError, match="--force"):
        build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    index = build_index(corpus, settings=settings, embedder=KeywordEmbedder(), force=True)
    assert len(index) == 85
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("idx.damaged-")]
    assert len(kept) == 1  # the damaged copy is set aside, not deleted


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"sdgs": (5,), "include_all": False}, 9),
        ({"sdgs": (5,)}, 37),
        ({"action_lines": ("C7",), "include_all": False}, 39),
        ({"action_lines": ("C7 E-health",), "include_all": False}, 8),
        ({"action_lines": ("C10",), "objectives": (4,), "include_all": False}, 4),
        ({"objectives": ("follow-up",)}, 11),
        ({"sections": ("Internet governance",)}, 4),
        ({"sdgs": (2,), "include_all": False}, 0),
    ],
)
def test_dense_filters_match_the_corpus_semantics(tmp_path_factory, corpus, filters, expected):
    settings = _settings(tmp_path_factory.mktemp("f"))
    index = build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    found = _top(index, "data", k=85, **filters)
    assert len(found) == expected
    flt = Filters(**filters)
    assert {c.id for c in corpus if flt.matches(c)} == set(found)


@pytest.mark.slow
def test_real_model_index(real_index):
    assert real_index.manifest["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    vectors = real_index.embedder.embed(["protection of personal data and privacy"])
    assert vectors.shape == (1, 384)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-4)
    top = [m.id for m in real_index.dense(vectors, k=5)[0]]
    assert {"O4-DATA-PRIV-01", "O4-DATA-PRIV-03"} <= set(top)


@pytest.mark.slow
def test_server_mode_with_a_real_chroma_server(chroma_server, corpus, tmp_path):
    settings = _settings(tmp_path / "unused", chroma_url=chroma_server)
    first = KeywordEmbedder()
    build_index(corpus, settings=settings, embedder=first)
    assert first.texts_embedded == _texts(corpus)  # each commitment and each situation
    again = KeywordEmbedder()
    index = build_index(corpus, settings=settings, embedder=again)
    assert again.calls == 0
    assert "O3-IG-04" in _top(index, "internet shutdowns")
    assert not (tmp_path / "unused").exists()  # nothing written locally in server mode


def test_server_down_gives_a_clear_message(tmp_path):
    from conftest import free_port

    settings = _settings(tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ChromaServerError, match="cannot reach the Chroma server"):
        open_index(settings, embedder=KeywordEmbedder())


# --------------------------------------------------------------------------- lifecycle


def _uuid_folders(path: Path) -> set[str]:
    import uuid

    names = set()
    for child in path.iterdir():
        try:
            uuid.UUID(child.name)
        except ValueError:
            continue
        names.add(child.name)
    return names


def test_build_ids_are_unique_within_one_millisecond():
    from gdc_assistant.index.build import new_build_id

    ids = [new_build_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)


def test_a_rebuild_keeps_the_build_a_reader_opened(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    reader = open_index(settings, embedder=KeywordEmbedder())
    build_index(corpus, settings=settings, embedder=KeywordEmbedder(), force=True)
    assert index_status(settings)["build_id"] != reader.manifest["build_id"]
    assert "O3-IG-04" in _top(reader, "internet shutdowns")  # still its own build
    assert reader.manifest["collections"]["main"] in list_collections(settings)


def test_old_builds_and_their_folders_go_after_the_grace_period(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    for _ in range(3):
        build_index(corpus, settings=settings, embedder=KeywordEmbedder(), force=True, grace=0)
    current = index_status(settings)
    assert set(current["collections"]) == {"main", "sit"}
    assert set(list_collections(settings)) == {"gdc-current", *current["collections"].values()}
    # one HNSW folder per live collection: delete_collection leaves them, the build removes them
    assert len(_uuid_folders(settings.index_path)) == 2


def test_a_reader_whose_build_was_dropped_switches_to_the_new_one(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    reader = open_index(settings, embedder=KeywordEmbedder())
    old = reader.manifest["build_id"]
    build_index(corpus, settings=settings, embedder=KeywordEmbedder(), force=True, grace=0)
    assert "O3-IG-04" in _top(reader, "internet shutdowns")
    assert reader.manifest["build_id"] != old


def test_a_reader_whose_corpus_changed_is_told_to_restart(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    reader = open_index(settings, embedder=KeywordEmbedder())
    changed = _with_text(corpus, "O2-01", "Climate climate climate")
    build_index(changed, settings=settings, embedder=KeywordEmbedder(), grace=0)
    with pytest.raises(IndexStaleError, match="restart"):
        _top(reader, "internet shutdowns")


def test_opening_a_stale_index_says_so_and_changes_nothing(tmp_path, corpus):
    settings = _settings(tmp_path / "idx")
    build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    before = (index_status(settings), list_collections(settings))
    changed = _with_text(corpus, "O2-01", "Climate climate climate")
    with pytest.raises(IndexStaleError, match="another version of the corpus.*index build"):
        open_index(settings, corpus=changed, embedder=KeywordEmbedder())
    with pytest.raises(IndexStaleError, match="multilingual"):
        open_index(
            dataclasses.replace(settings, multilingual_model="usem3"), embedder=KeywordEmbedder()
        )
    assert (index_status(settings), list_collections(settings)) == before


def test_opening_a_missing_index_creates_nothing(tmp_path):
    with pytest.raises(IndexNotFoundError):
        open_index(_settings(tmp_path / "idx"), embedder=KeywordEmbedder())
    assert not (tmp_path / "idx").exists()


def test_a_second_builder_waits_then_finds_the_work_done(tmp_path, corpus):
    import threading

    from gdc_assistant.index.lock import build_lock

    settings = _settings(tmp_path / "idx")
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with build_lock(settings):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        with pytest.raises(IndexBusyError, match="another `gdc-assistant index build`"):
            build_index(corpus, settings=settings, embedder=KeywordEmbedder(), wait=0.2)
        assert not (tmp_path / "idx").exists()  # it gave up before touching anything
        threading.Timer(0.5, release.set).start()
        index = build_index(corpus, settings=settings, embedder=KeywordEmbedder(), wait=30)
        assert len(index) == 85
    finally:
        release.set()
        holder.join()


@pytest.mark.slow
def test_server_reader_switches_when_its_build_is_dropped(chroma_server, corpus, tmp_path):
    settings = _settings(tmp_path / "unused", chroma_url=chroma_server)
    build_index(corpus, settings=settings, embedder=KeywordEmbedder(name="fake/switch"))
    reader = open_index(settings, embedder=KeywordEmbedder(name="fake/switch"))
    old = reader.manifest["build_id"]
    embedder = KeywordEmbedder(name="fake/switch")
    build_index(corpus, settings=settings, embedder=embedder, force=True, grace=0)
    assert old not in " ".join(list_collections(settings))  # the reader's build is gone
    assert "O3-IG-04" in _top(reader, "internet shutdowns")
    assert reader.manifest["build_id"] != old
