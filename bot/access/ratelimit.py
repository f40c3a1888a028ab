"""Questions per person per minute: a sliding window, so a runaway script cannot starve the rest.

Kept in memory, per process: with several replicas each one counts on its own, so a person may
ask up to the limit on each. A refused person is told once per window, not once per message.
"""

import threading
import time
from collections import deque
from collections.abc import Callable

from pydantic import BaseModel

WINDOW_S = 60.0


class Verdict(BaseModel):
    """Whether a question may be answered now; if not, when it may and whether to say so."""

    allowed: bool
    retry_after_s: float = 0.0
    tell: bool = False  # the first refusal in a window: say it politely, then stay quiet


class RateLimiter:
    """At most `per_minute` questions per key (a Slack user) in any `window_s` seconds."""

    def __init__(
        self,
        per_minute: int,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.per_minute, self.window_s, self.clock = per_minute, window_s, clock
        self._asked: dict[str, deque[float]] = {}
        self._told_until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def check(self, key: str) -> Verdict:
        """Count a question by `key` if the limit allows it."""
        if self.per_minute <= 0:
            return Verdict(allowed=True)
        now = self.clock()
        with self._lock:
            self._sweep(now)
            asked = self._asked.setdefault(key, deque())
            while asked and asked[0] <= now - self.window_s:
                asked.popleft()
            if len(asked) < self.per_minute:
                asked.append(now)
                return Verdict(allowed=True)
            retry = asked[0] + self.window_s - now
            tell = self._told_until.get(key, 0.0) <= now
            if tell:
                self._told_until[key] = asked[0] + self.window_s
            return Verdict(allowed=False, retry_after_s=max(retry, 0.0), tell=tell)

    def _sweep(self, now: float) -> None:
        """Forget people idle for a whole window, so memory follows the active ones."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window_s
        for key in [k for k, q in self._asked.items() if not q or q[-1] <= now - self.window_s]:
            del self._asked[key]
        for key in [k for k, until in self._told_until.items() if until <= now]:
            del self._told_until[key]


def slow_down_message(per_minute: int, retry_after_s: float) -> str:
    """The polite refusal."""
    wait = max(1, round(retry_after_s))
    return (
        f"You're asking faster than I can keep up: at most {per_minute} questions a minute per "
        f"person. Please try again in {wait} second{'s' if wait != 1 else ''}."
    )
