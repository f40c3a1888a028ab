"""The schema: created once even by replicas starting together, versioned, and upgraded."""

import threading

import pytest
from sqlalchemy import select

from bot.state import schema
from bot.state.engine import create_state_engine
from bot.state.errors import SchemaTooNew
from bot.state.store import open_state


def stored_version(store) -> int:
    with store.engine.connect() as conn:
        query = select(schema.schema_meta.c.value).where(
            schema.schema_meta.c.name == "schema_version"
        )
        return int(conn.execute(query).scalar())


def test_replicas_starting_together_create_the_schema_once(state_settings):
    engines = [create_state_engine(state_settings) for _ in range(6)]
    start, errors = threading.Barrier(len(engines)), []

    def init(engine) -> None:
        start.wait()
        try:
            schema.init_schema(engine)
        except Exception as exc:  # any error here is the bug this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=init, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    store = open_state(state_settings)
    assert stored_version(store) == schema.SCHEMA_VERSION
    for engine in engines:
        engine.dispose()
    store.close()


def test_a_database_from_a_newer_version_is_refused(state_settings):
    store = open_state(state_settings)
    with store.engine.begin() as conn:
        conn.execute(schema.schema_meta.update().values(value=str(schema.SCHEMA_VERSION + 1)))
    store.close()
    with pytest.raises(SchemaTooNew, match="upgrade investor-qa"):
        open_state(state_settings)


def test_an_upgrade_step_runs_once_and_records_the_new_version(state_settings, monkeypatch):
    open_state(state_settings).close()
    ran = []
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.UPGRADES, schema.SCHEMA_VERSION, ran.append)
    store = open_state(state_settings)
    assert len(ran) == 1 and stored_version(store) == schema.SCHEMA_VERSION
    store.close()
    open_state(state_settings).close()
    assert len(ran) == 1
