"""Compare a freshly loaded corpus with the live index: what was added, updated or removed."""

import sqlite3
from pathlib import Path

from pydantic import BaseModel

from index.models import Article
from index.store import current_version


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


def compare_with_index(index_dir: Path, articles: list[Article]) -> Changes:
    """How `articles` differ from the live index in `index_dir`, by content hash."""
    old = live_hashes(index_dir)
    changes = Changes()
    for article in articles:
        previous = old.pop(article.id, None)
        if previous is None:
            changes.added += 1
        elif previous == article.content_hash:
            changes.unchanged += 1
        else:
            changes.updated += 1
    changes.removed = len(old)
    return changes
