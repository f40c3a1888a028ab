"""Remember what was already handled, so each Slack delivery is answered exactly once."""

import threading
from collections import OrderedDict


class SeenKeys:
    """A bounded, thread-safe set of keys (event ids, channel+ts pairs) already claimed."""

    def __init__(self, capacity: int = 10_000):
        self.capacity = capacity
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True the first time `key` is seen, False every later time."""
        with self._lock:
            if key in self._keys:
                return False
            self._keys[key] = None
            if len(self._keys) > self.capacity:
                self._keys.popitem(last=False)  # forget the oldest; Slack retries within minutes
            return True
