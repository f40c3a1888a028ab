"""Where the state lives: SQLite in the data dir by default, INVESTOR_QA_DATABASE_URL otherwise,
and the URL's password never shown."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.state.engine import SQLITE_FILE, database_url, describe
from bot.state.errors import BadDatabaseURL, StateStoreError
from bot.state.settings import StateSettings
from bot.state.store import open_state
from tests.helpers import ROOT
from tests.pg_cluster import free_port

PASSWORD = "hunter2-s3cret"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("INVESTOR_QA_DATA_DIR", "INVESTOR_QA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_default_is_sqlite_in_the_data_dir(clean_env, tmp_path):
    clean_env.setenv("INVESTOR_QA_DATA_DIR", str(tmp_path / "data"))
    url = database_url(StateSettings())
    assert url.drivername == "sqlite" and Path(url.database) == tmp_path / "data" / SQLITE_FILE
    store = open_state(StateSettings())
    assert (tmp_path / "data" / SQLITE_FILE).is_file()
    store.close()


def test_postgres_urls_use_psycopg_and_hide_their_password(clean_env):
    for given in (
        f"postgresql://bot:{PASSWORD}@db.internal:5432/qa",
        f"postgres://bot:{PASSWORD}@db.internal:5432/qa",
        f"postgresql+psycopg://bot:{PASSWORD}@db.internal:5432/qa",
    ):
        clean_env.setenv("INVESTOR_QA_DATABASE_URL", given)
        settings = StateSettings()
        url = database_url(settings)
        assert url.drivername == "postgresql+psycopg" and url.host == "db.internal"
        assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
        assert PASSWORD not in describe(url) and "bot:***@db.internal" in describe(url)


@pytest.mark.parametrize(
    "given",
    [
        f"mysql://bot:{PASSWORD}@db/qa",
        f"postgresql+psycopg2://bot:{PASSWORD}@db/qa",
        f"not a url {PASSWORD}",
        f"://bot:{PASSWORD}@",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_unusable_urls_are_one_clear_line_without_the_password(given):
    with pytest.raises(BadDatabaseURL) as error:
        database_url(StateSettings(database_url=given))
    message = str(error.value)
    assert "INVESTOR_QA_DATABASE_URL" in message and PASSWORD not in message
    assert "\n" not in message


def test_an_unreachable_server_fails_fast_without_the_password(caplog):
    url = f"postgresql://bot:{PASSWORD}@127.0.0.1:{free_port()}/qa?connect_timeout=5"
    with caplog.at_level(logging.DEBUG), pytest.raises(StateStoreError) as error:
        open_state(StateSettings(database_url=url))
    message = str(error.value)
    assert "cannot open the state database" in message and "bot:***@127.0.0.1" in message
    assert PASSWORD not in message and "\n" not in message
    assert PASSWORD not in caplog.text


def test_serve_stops_at_start_with_one_line_when_the_database_is_unreachable(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "INVESTOR_QA_DATABASE_URL": f"postgresql://bot:{PASSWORD}@127.0.0.1:{free_port()}/qa",
    }
    env.pop("SLACK_APP_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http", "--index-dir", str(tmp_path / "none")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("investor-qa: error: cannot open the state database postgresql")
    assert PASSWORD not in done.stderr + done.stdout
