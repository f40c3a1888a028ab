"""Run a parser that can blow up in a child process, with a time and a memory limit per call.

PDFium is C++ and a PDF is a program: a damaged file can crash it, a page can inflate to
gigabytes, and HTML extraction can spin on a pathological page. Each such call runs in a
worker process whose address space is capped (RLIMIT_AS) and which is killed at the
deadline; a crash, a timeout or an exhausted limit becomes one `BadArticle` line for that
file, and the worker is replaced. Workers are reused across files, so the happy path pays
one round trip per file, not a process per file or per page.

A worker is a fresh `python` (never a fork of the caller, which may hold threads and locks)
that serves pickled calls over its stdin and stdout, importing each parser once. It
bounds time and memory; it is not a security sandbox (the worker runs as the same user).
"""

import atexit
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, TypeVar, cast

from pydantic import BaseModel

from index.errors import BadArticle
from index.isolate_worker import FRAME, write_frame

MAX_WORKERS = 2
T = TypeVar("T")
START_TIMEOUT_S = 60.0  # a fresh interpreter, on a busy machine


class ParseLimits(BaseModel):
    """What one isolated call may use."""

    timeout_s: float = 60.0
    memory_mb: int = 1024  # address space of the worker, Python and the parser included


def run_isolated(
    func: Callable[..., T], *args: object, what: str, limits: ParseLimits | None = None
) -> T:
    """`func(*args)` in a worker; BadArticle("`what`: skipped, …") if it crashes or runs over.

    `func` must be importable by name; a BadArticle it raises comes back as it was.
    """
    limits = limits or default_limits()
    try:
        worker = _POOL.take(limits.memory_mb)
    except _WorkerLost as lost:  # the worker never started
        raise BadArticle(f"{what}: skipped, {lost.reason(limits)}") from None
    healthy = False
    try:
        status, value = worker.call(func, args, limits.timeout_s)
        healthy = status != "memory"  # after a MemoryError the worker is not trusted again
    except _WorkerLost as lost:
        raise BadArticle(f"{what}: skipped, {lost.reason(limits)}") from None
    finally:
        (_POOL.give_back if healthy else _POOL.discard)(worker)
    if status == "ok":
        return cast(T, value)
    if status == "bad":
        raise BadArticle(value)
    if status == "memory":
        raise BadArticle(f"{what}: skipped, needs more than {limits.memory_mb} MB to parse")
    raise BadArticle(f"{what}: skipped, the parser failed ({value})")


def default_limits() -> ParseLimits:
    """Limits from INVESTOR_QA_PARSE_TIMEOUT_S and INVESTOR_QA_PARSE_MEMORY_MB."""
    from index.settings import get_settings

    settings = get_settings()
    return ParseLimits(timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb)


class _WorkerLost(Exception):
    def __init__(self, timed_out: bool, exitcode: int | None):
        self.timed_out, self.exitcode = timed_out, exitcode

    def reason(self, limits: ParseLimits) -> str:
        if self.timed_out:
            return f"parsing took longer than {limits.timeout_s:g} s"
        how = f"signal {-self.exitcode}" if self.exitcode and self.exitcode < 0 else "it exited"
        return f"the parser crashed ({how}; or it needed more than {limits.memory_mb} MB)"


class _Worker:
    """One child process serving length-prefixed pickled calls on its stdin and stdout."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        boot = (
            f"import sys; sys.path[:0] = {sys.path!r}; "
            f"from index.isolate_worker import serve; serve({memory_mb << 20})"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", boot],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # parser chatter; failures are reported by status
        )
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:  # cannot happen with PIPE; keeps the types exact
            raise OSError("worker started without pipes")
        self.stdin: IO[bytes] = stdin
        self.stdout: IO[bytes] = stdout
        try:
            self._read(START_TIMEOUT_S)  # "ready", once the interpreter runs
        except _WorkerLost:
            self.kill()
            raise

    def call(self, func: Callable, args: tuple, timeout_s: float) -> tuple[str, object]:
        try:
            write_frame(self.stdin, pickle.dumps((func, args)))
        except OSError:
            raise _WorkerLost(timed_out=False, exitcode=self.process.poll()) from None
        return self._read(timeout_s)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.stdin.close()
        self.stdout.close()

    def _read(self, timeout_s: float) -> tuple[str, object]:
        fd = self.stdout.fileno()
        deadline = time.monotonic() + timeout_s
        data = b""
        while len(data) < FRAME.size or len(data) < FRAME.size + FRAME.unpack_from(data)[0]:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _WorkerLost(timed_out=True, exitcode=None)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise _WorkerLost(timed_out=False, exitcode=self.process.wait())
            data += chunk
        return pickle.loads(data[FRAME.size :])


class _Pool:
    """Idle workers, at most MAX_WORKERS alive; callers wait for one when all are busy."""

    def __init__(self):
        self._idle: list[_Worker] = []
        self._count = 0
        self._cond = threading.Condition()

    def take(self, memory_mb: int) -> _Worker:
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.poll() is None and worker.memory_mb == memory_mb:
                        return worker
                    worker.kill()
                    self._count -= 1
                if self._count < MAX_WORKERS:
                    self._count += 1
                    break
                self._cond.wait()
        try:
            return _Worker(memory_mb)
        except BaseException:
            self._free_place()
            raise

    def give_back(self, worker: _Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def discard(self, worker: _Worker) -> None:
        """Kill a worker that failed (or was interrupted mid-call) and free its place."""
        worker.kill()
        self._free_place()

    def close(self) -> None:
        with self._cond:
            for worker in self._idle:
                worker.kill()
            self._count -= len(self._idle)
            self._idle.clear()

    def _free_place(self) -> None:
        with self._cond:
            self._count -= 1
            self._cond.notify()


_POOL = _Pool()
atexit.register(_POOL.close)
