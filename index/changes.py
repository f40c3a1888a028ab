"""Compare a freshly loaded corpus with the live index: what was added, updated or removed."""

import sqlite3
from pathlib import Path

from pydantic import BaseModel

from index.errors import InvestorQAError
from index.live import LiveState
from index.models import Article, Chunk
from index.store import current_version, read_manifest


class Changes(BaseModel):
    """Article counts of one build compared with the index it replaces."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        """`added A, updated U, removed R, unchanged N`."""
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}"
        )


def live_hashes(index_dir: Path) -> dict[str, str]:
    """Article id → content hash in the live index; empty when there is none or it is unreadable."""
    return dict(_live_rows(index_dir, "SELECT id, content_hash FROM articles"))


def _live_rows(index_dir: Path, sql: str) -> list[tuple]:
    version = current_version(Path(index_dir))
    db_path = version / "meta.sqlite" if version else None
    if db_path is None or not db_path.is_file():
        return []
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()
    except sqlite3.Error:  # a damaged index is rebuilt in full, like a missing one
        return []


def previous_state(index_dir: Path) -> LiveState | None:
    """The live state of the index in `index_dir`, or None (none, damaged, or an older format)."""
    rows = _live_rows(index_dir, "SELECT value FROM live_state WHERE key = 'state'")
    return LiveState.model_validate_json(rows[0][0]) if rows else None


def carried_generations(index_dir: Path, article_ids: set[str]) -> dict[str, tuple[int, str]]:
    """(generation, added_at) of `article_ids` in the live index, to carry into a new version."""
    rows = _live_rows(index_dir, "SELECT article_id, generation, added_at FROM article_generations")
    return {row[0]: (row[1], row[2]) for row in rows if row[0] in article_ids}


def compare_with_index(index_dir: Path, articles: list[Article]) -> tuple[Changes, set[str]]:
    """How `articles` differ from the live index in `index_dir`, and the unchanged ids."""
    old = live_hashes(index_dir)
    changes, unchanged = Changes(), set()
    for article in articles:
        previous = old.pop(article.id, None)
        if previous is None:
            changes.added += 1
        elif previous == article.content_hash:
            changes.unchanged += 1
            unchanged.add(article.id)
        else:
            changes.updated += 1
    changes.removed = len(old)
    return changes, unchanged


def reusable_chunks(
    index_dir: Path, article_ids: set[str], model_name: str, chunker: dict
) -> dict[str, list[Chunk]]:
    """Chunks of unchanged articles from the live index, when it was chunked the same way.

    Same content hash, same model (tokenizer) and same chunker settings give the same
    chunks, so re-chunking them would only spend time.
    """
    version = current_version(Path(index_dir))
    try:
        manifest = read_manifest(Path(index_dir), version)
    except InvestorQAError:
        return {}
    if not article_ids or manifest.model_name != model_name or manifest.chunker != chunker:
        return {}
    rows = _live_rows(
        index_dir,
        'SELECT id, article_id, ordinal, start, "end", text, n_tokens, page, context '
        "FROM chunks ORDER BY article_id, ordinal",
    )
    keys = ["id", "article_id", "ordinal", "start", "end", "text", "n_tokens", "page", "context"]
    out: dict[str, list[Chunk]] = {}
    for row in rows:
        if row[1] in article_ids:
            out.setdefault(row[1], []).append(Chunk(**dict(zip(keys, row, strict=True))))
    return out
