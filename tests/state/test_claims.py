"""Claims: each key is taken once across every store on the same database, old claims expire."""

import pytest

from bot.state.store import EVENT_TTL_S, open_state


@pytest.fixture
def two_replicas(state_settings):
    """Two stores on one database, each with its own engine and in-process memory."""
    first, second = open_state(state_settings), open_state(state_settings)
    yield first, second
    first.close()
    second.close()


def test_a_key_is_claimed_once_across_replicas_and_retries(two_replicas):
    first, second = two_replicas
    assert first.events.claim("event:Ev1")
    assert not second.events.claim("event:Ev1")  # the other replica: the database says taken
    assert not first.events.claim("event:Ev1")  # a retry on the same replica
    assert second.events.claim("event:Ev2") and not first.events.claim("event:Ev2")


def test_old_event_claims_are_pruned_but_told_once_is_forever(two_replicas):
    first, second = two_replicas
    assert first.events.claim("event:old") and first.told_once.claim("C9")
    later = __import__("time").time() + EVENT_TTL_S + 1
    assert first.events.prune(now=later) == 1
    assert second.events.claim("event:old")  # forgotten by the database after the TTL
    assert first.told_once.prune(now=later) == 0
    assert not second.told_once.claim("C9")


def test_recent_claims_survive_a_prune(two_replicas):
    first, second = two_replicas
    assert first.events.claim("event:fresh")
    assert first.events.prune() == 0
    assert not second.events.claim("event:fresh")


def test_claims_survive_a_restart(state_settings):
    store = open_state(state_settings)
    assert store.events.claim("event:Ev1") and store.told_once.claim("C9")
    store.close()
    reopened = open_state(state_settings)
    assert not reopened.events.claim("event:Ev1") and not reopened.told_once.claim("C9")
    reopened.close()
