"""Bring answers and votes from the pre-SQLAlchemy `feedback.sqlite` into the state database.

Earlier versions kept them in INVESTOR_QA_DATA_DIR/feedback.sqlite. The first start with a
state database copies them in, once per database; rows already there win, and the old file
is left untouched (it can be deleted afterwards).
"""

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.state.engine import upsert_insert
from bot.state.schema import answers, feedback, schema_meta

logger = logging.getLogger(__name__)

LEGACY_FILE = "feedback.sqlite"
_DONE = "imported_legacy_feedback"
_ANSWERS = "SELECT id, question, answer_json, channel, user, created_at FROM answers"
_VOTES = "SELECT answer_id, user, question, answer, channel, vote, voted_at FROM feedback"


def import_legacy_feedback(engine: Engine, data_dir: Path) -> tuple[int, int]:
    """Copy `data_dir/feedback.sqlite` into `engine` unless done before; (answers, votes) added."""
    path = Path(data_dir) / LEGACY_FILE
    if not path.is_file() or _done(engine):
        return 0, 0
    try:
        old_answers, old_votes = _read(path)
    except sqlite3.Error as exc:
        logger.warning("could not read the old feedback file %s (%s); left as it is", path, exc)
        return 0, 0
    with engine.begin() as conn:
        added_answers = _insert_new(conn, engine, answers, ["id"], old_answers)
        added_votes = _insert_new(conn, engine, feedback, ["answer_id", "user_id"], old_votes)
        conn.execute(
            upsert_insert(engine, schema_meta)
            .values(name=_DONE, value=str(path))
            .on_conflict_do_nothing(index_elements=["name"])
        )
    logger.info(
        "imported %d answers and %d votes from %s; that file is no longer used",
        added_answers,
        added_votes,
        path,
    )
    return added_answers, added_votes


def _done(engine: Engine) -> bool:
    with engine.connect() as conn:
        query = select(schema_meta.c.value).where(schema_meta.c.name == _DONE)
        return conn.execute(query).scalar() is not None


def _read(path: Path) -> tuple[list[dict], list[dict]]:
    """Rows of the old file, opened read-only so nothing in it can change."""
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        db.row_factory = sqlite3.Row
        rows_answers = [
            {**dict(row), "user_id": row["user"]} for row in db.execute(_ANSWERS).fetchall()
        ]
        rows_votes = [
            {**dict(row), "user_id": row["user"]} for row in db.execute(_VOTES).fetchall()
        ]
    finally:
        db.close()
    for row in rows_answers + rows_votes:
        row.pop("user")
    # A vote whose answer is missing cannot be shown or counted against anything.
    known = {row["id"] for row in rows_answers}
    return rows_answers, [row for row in rows_votes if row["answer_id"] in known]


def _insert_new(conn, engine: Engine, table, keys: list[str], rows: list[dict]) -> int:
    if not rows:
        return 0
    # Counted, not taken from rowcount: drivers differ on rowcount for a batch of inserts.
    before = conn.execute(select(func.count()).select_from(table)).scalar()
    conn.execute(upsert_insert(engine, table).on_conflict_do_nothing(index_elements=keys), rows)
    return conn.execute(select(func.count()).select_from(table)).scalar() - before
