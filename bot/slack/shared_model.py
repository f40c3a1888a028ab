"""Let an index build share the bot's loaded model with the questions it keeps answering.

The build encodes one batch at a time under the lock that questions take, so a question waits
for at most one batch (about two seconds on two CPU cores) rather than for the whole build, and
the model's tokenizer is never used by two threads at once (Hugging Face's fast tokenizers raise
"Already borrowed" when it is).
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager

import numpy as np

from index.embed import Embedder, Progress


class TakingTurns:
    """An Embedder that wraps `embedder` and holds `lock` around each batch it encodes."""

    def __init__(self, embedder: Embedder, lock: AbstractContextManager):
        self._embedder, self._lock = embedder, lock
        self.name, self.dim = embedder.name, embedder.dim

    def load(self) -> None:
        self._embedder.load()

    def encode_documents(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), max(batch_size, 1)):
            with self._lock:
                batch = texts[start : start + batch_size]
                parts.append(self._embedder.encode_documents(batch, batch_size, progress))
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._embedder.encode_query(text)
