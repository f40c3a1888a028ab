"""Run the investor-qa CLI with the fake embedder, optionally stopping at a build step.

Used by subprocess tests: `FAKE_CLI_PAUSE_AT=embed|write|publish|append-*` makes the build
write `FAKE_CLI_SIGNAL` and sleep at that point, so the test can `kill -9` it there;
`FAKE_CLI_PAUSE_AT=slow-embed` writes it and waits `FAKE_CLI_SLOW_S` before each encode;
`FAKE_CLI_WAIT_FOR=path` holds the command until that file exists.
`FAKE_CLI_EMBED_DELAY=S` makes every encoding call take S seconds and leave its process id in
the directory `FAKE_CLI_SIGNAL` (for builds on Ray, whose workers the patches here never reach).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import index.append  # noqa: E402
import index.build  # noqa: E402
import index.embed  # noqa: E402
import index.store  # noqa: E402
from bot.cli import main  # noqa: E402
from tests.helpers import FakeEmbedder, SlowEmbedder  # noqa: E402


def pause() -> None:
    Path(os.environ["FAKE_CLI_SIGNAL"]).write_text("paused")
    time.sleep(300)


def pause_after(func):
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        pause()
        return result

    return wrapper


def install() -> None:
    index.embed.SentenceTransformerEmbedder = lambda device="cpu": FakeEmbedder()
    if delay := os.environ.get("FAKE_CLI_EMBED_DELAY"):
        marks = Path(os.environ["FAKE_CLI_SIGNAL"])
        index.embed.SentenceTransformerEmbedder = lambda device="cpu": SlowEmbedder(
            float(delay), marks
        )
    where = os.environ.get("FAKE_CLI_PAUSE_AT")
    if where == "embed":  # after the first slice of vectors reached the cache
        FakeEmbedder.encode_documents = pause_after(FakeEmbedder.encode_documents)
    elif where == "write":  # the new version's SQLite is written, its vectors are not
        index.store._write_sqlite = pause_after(index.store._write_sqlite)
    elif where == "publish":  # the version is complete but CURRENT still names the old one
        index.build.publish = lambda *a: pause()
    elif where == "append-rows":  # a small update's rows are written, its transaction open
        index.append.insert_rows = pause_after(index.append.insert_rows)
    elif where == "append-state":  # everything written but the COMMIT
        index.append.write_live_state = pause_after(index.append.write_live_state)
    elif where == "append-done":  # committed
        index.append.merge_due = lambda *a: pause()
    elif where == "slow-embed":  # say so, then embed slowly: another build can start meanwhile
        FakeEmbedder.encode_documents = slow_before(FakeEmbedder.encode_documents)


def slow_before(func):
    def wrapper(*args, **kwargs):
        Path(os.environ["FAKE_CLI_SIGNAL"]).write_text("embedding")
        time.sleep(float(os.environ.get("FAKE_CLI_SLOW_S", "2")))
        return func(*args, **kwargs)

    return wrapper


def wait_for_go() -> None:
    """With FAKE_CLI_WAIT_FOR, start only once that file exists (imports already done)."""
    go = os.environ.get("FAKE_CLI_WAIT_FOR")
    deadline = time.monotonic() + 60
    while go and not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.02)


if __name__ == "__main__":
    install()
    wait_for_go()
    sys.exit(main(sys.argv[1:]))
