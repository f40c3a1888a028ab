"""The test cluster helper: a clear reason to skip when PostgreSQL cannot run here."""

import pytest

from tests import pg_cluster


def test_missing_binaries_are_a_clear_reason_not_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pg_cluster, "SEARCH", [str(tmp_path / "nowhere" / "*" / "bin")])
    with pytest.raises(pg_cluster.NoPostgres, match="no PostgreSQL binaries"):
        pg_cluster.Cluster()
