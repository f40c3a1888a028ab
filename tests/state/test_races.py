"""Replicas racing: many threads and processes claim the same keys; each key has one winner."""

import multiprocessing
import threading
from collections import Counter

from bot.state.store import open_state

KEYS = [f"event:Ev{n}" for n in range(60)]


def claim_all(settings, start: threading.Barrier | None = None) -> list[str]:
    """Open a store of its own (a replica) and claim every key; returns the keys it won."""
    store = open_state(settings)
    try:
        if start is not None:
            start.wait()
        return [key for key in KEYS if store.events.claim(key)]
    finally:
        store.close()


def _claim_in_child(settings, results) -> None:
    results.put(claim_all(settings))


def assert_one_winner_per_key(won_lists: list[list[str]]) -> None:
    winners = Counter(key for won in won_lists for key in won)
    assert set(winners) == set(KEYS) and set(winners.values()) == {1}
    assert sum(1 for won in won_lists if won) >= 1


def test_threads_with_their_own_engines_claim_each_key_once(state_settings):
    # A thread that fails before the barrier breaks it for the others (timeout) instead of
    # leaving them waiting forever; its error is what the test reports.
    threads, start = 12, threading.Barrier(12, timeout=60)
    results: list[list[str]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = claim_all(state_settings, start)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
            start.abort()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors[0]
    assert_one_winner_per_key(results)


def test_processes_claim_each_key_once(state_settings):
    open_state(state_settings).close()  # create the schema first; the race is on the claims
    context = multiprocessing.get_context("fork")  # cheap; each child opens its own engine
    results = context.Queue()
    children = [
        context.Process(target=_claim_in_child, args=(state_settings, results)) for _ in range(4)
    ]
    for child in children:
        child.start()
    won_lists = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=30)
        assert child.exitcode == 0
    assert_one_winner_per_key(won_lists)
