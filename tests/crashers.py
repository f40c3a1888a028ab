"""Functions that misbehave, run by tests in index.isolate's workers (importable by name)."""

import os
import signal
import time

from index.errors import BadArticle


def echo(value):
    return value


def segfault():
    os.kill(os.getpid(), signal.SIGSEGV)


def hang():
    time.sleep(600)


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def refuse(message: str):
    raise BadArticle(message)


def recurse(depth: int = 0):
    return recurse(depth + 1)
