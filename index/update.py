"""Index files just added to the corpus: append them in place, or build when that cannot be.

The one entry point for `add`, Slack uploads and feeds. An append costs what was added
(index/append.py); when the appended chunks have grown past the merge threshold, a full build
then folds them into a new version (it reuses every vector from the embedding cache).
"""

from pathlib import Path

from index.append import append_files
from index.build import BuildReport, build_index
from index.chunk import ChunkerSettings
from index.embed import Embedder
from index.load import MAX_ARTICLE_BYTES
from index.tokens import TokenCounter


def index_new_files(
    corpus_dir: Path,
    index_dir: Path,
    rel_paths: list[str],
    embedder: Embedder,
    counter: TokenCounter,
    chunker: ChunkerSettings | None = None,
    batch_size: int = 32,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> BuildReport:
    """Bring the index up to date after `rel_paths` (relative to the corpus) were added."""
    report = append_files(
        corpus_dir,
        index_dir,
        rel_paths,
        embedder,
        counter,
        chunker,
        batch_size,
        max_article_bytes,
    )
    if report is not None and not report.merged:
        return report
    built = build_index(
        corpus_dir,
        index_dir,
        embedder,
        counter,
        chunker,
        batch_size,
        max_article_bytes=max_article_bytes,
    )
    if report is None:
        return built
    # Merged: report what the update added, and the merge's version.
    return report.model_copy(
        update={"seconds": report.seconds + built.seconds, "generation": built.generation}
    )
