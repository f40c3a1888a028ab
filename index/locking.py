"""One build at a time per index directory, across processes and threads.

A build loads the corpus, embeds, writes a version and publishes it. Two at once (an admin's
upload in Slack while someone runs `investor-qa add` on the host) would each remove the
other's half-written version as abandoned, and the one that publishes last would drop the
article the other added. An OS file lock (flock) serialises them; it is released when its
holder exits, however it exits, so a killed build never leaves a stale lock behind.
"""

import logging
from pathlib import Path

from filelock import FileLock, Timeout

logger = logging.getLogger(__name__)

LOCK_FILE = "build.lock"


class build_lock:  # noqa: N801 (used as a context manager, like a function)
    """`with build_lock(index_dir):` waits for any other build of `index_dir`, then holds it.

    Re-entrant within a thread: `add_files` holds it around the build it starts.
    """

    def __init__(self, index_dir: Path):
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        self.path = Path(index_dir) / LOCK_FILE
        # One instance per path in this process: re-entrant in a thread, exclusive across them.
        self._lock = FileLock(self.path, is_singleton=True)

    def __enter__(self) -> "build_lock":
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            logger.warning("another build of %s is running; waiting for it", self.path.parent)
            self._lock.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()
