"""Embedders: a small protocol and the sentence-transformers implementation, loaded lazily."""

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]  # called with the number of texts just encoded


class Embedder(Protocol):
    """Turns documents and questions into normalised float32 vectors."""

    name: str
    dim: int

    def encode_documents(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def load(self) -> None:
        """Load the model now rather than on first use."""


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the bundled package; the model loads on first use, once."""

    name = DEFAULT_MODEL
    dim = 384

    def __init__(self, device: str = "cpu"):
        self.device = device
        self._model: SentenceTransformer | None = None

    @property
    def model(self) -> "SentenceTransformer":
        """The SentenceTransformer, imported and loaded on first access (about 6 s)."""
        if self._model is None:
            import os

            # Weights ship inside a package: never reach for a model hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            import torch

            from index.tokens import model_dir

            # Match the threads to the cores this process may use: more only thrash.
            torch.set_num_threads(len(os.sched_getaffinity(0)))
            device = resolve_device(self.device)
            logger.info("loading embedding model on %s", device)
            self._model = SentenceTransformer(str(model_dir()), device=device)
        return self._model

    def load(self) -> None:
        """Load the model now rather than on first use."""
        _ = self.model

    def __getstate__(self) -> dict:
        """Pickle the settings only: a Ray worker that receives this loads its own model."""
        return {**self.__dict__, "_model": None}

    def encode_documents(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode passages in batches, most tokens first so each batch pads little."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from index.tokens import default_counter

        # Characters are a poor proxy for tokens (numbers and tickers split into many).
        lengths = default_counter().count_many(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            vecs = self.model.encode_document(
                [texts[i] for i in idx],
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """Encode one question."""
        vec = self.model.encode_query(
            [text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vec[0], dtype=np.float32)


def resolve_device(device: str) -> str:
    """`auto` becomes `cuda` when torch sees a GPU, else `cpu`."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"
