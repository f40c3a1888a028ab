"""Where a build's heavy steps run: parsing, chunking and encoding.

`build_index` lists nothing, compares nothing and publishes nothing through a runner: it asks
the runner only for the corpus's articles (and, from a runner that chunks where it parses, their
chunks) and for the vectors of the texts the embedding cache lacks. `LocalRunner` does it all in
this process; `index.distributed.RayRunner` on a Ray cluster. Whatever runs them, the build's
other steps, and so the index, are the same.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from index.chunk import ChunkerSettings
from index.embed import Embedder, Progress
from index.embed_cache import encode_in_slices
from index.load import LoadResult, load_corpus
from index.tokens import TokenCounter


class BuildRunner(Protocol):
    """The parallel steps of a build, wherever they run."""

    method: str  # recorded in the manifest: how the index was built

    def load(
        self,
        corpus_dir: Path,
        max_article_bytes: int,
        counter: TokenCounter,
        chunker: ChunkerSettings,
    ) -> LoadResult:
        """Every article of the corpus, as `index.load.load_corpus` returns them; a runner that
        chunks where it parses returns their chunks too (`LoadResult.chunks`)."""
        ...

    def encode(
        self, embedder: Embedder, todo: dict[str, str], batch_size: int, progress: Progress | None
    ) -> Iterator[dict[str, np.ndarray]]:
        """Vectors of the texts in `todo` (cache key -> text), in parts as they are done."""
        ...


class LocalRunner:
    """Everything in this process: the default, and what `investor-qa index` does without --ray."""

    method = "local"

    def load(
        self,
        corpus_dir: Path,
        max_article_bytes: int,
        counter: TokenCounter,
        chunker: ChunkerSettings,
    ) -> LoadResult:
        """Parse the corpus here (chunking waits until the build knows what changed)."""
        return load_corpus(corpus_dir, max_article_bytes)

    def encode(
        self, embedder: Embedder, todo: dict[str, str], batch_size: int, progress: Progress | None
    ) -> Iterator[dict[str, np.ndarray]]:
        """Encode here, a slice at a time."""
        return encode_in_slices(embedder, todo, batch_size, progress)
