"""The worker side of index/isolate.py: a loop that runs pickled calls from stdin.

Kept free of heavy imports (no pydantic, no parsers) so that a worker starts in a fraction
of a second; each parser is imported by its first call.
"""

import contextlib
import os
import pickle
import resource
import struct

from index.errors import BadArticle

FRAME = struct.Struct("!Q")  # each message: its length, then a pickle


def write_frame(pipe, payload: bytes) -> None:
    """Send one message."""
    pipe.write(FRAME.pack(len(payload)) + payload)
    pipe.flush()


def _read_exactly(fd: int, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def serve(memory_bytes: int) -> None:
    """The worker: cap memory, then answer calls until stdin closes.

    A parser is imported by its first call (pickle imports the function's module), so a
    worker's first file pays that import inside its deadline: a second or two.
    """
    # Replies go to a private copy of stdout; anything a parser prints goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit already applies
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    write_frame(out, pickle.dumps(("ready", None)))
    while True:
        try:
            size = FRAME.unpack(_read_exactly(0, FRAME.size))[0]
            call = _read_exactly(0, size)
        except EOFError:
            return
        try:
            func, args = pickle.loads(call)  # imports the parser's module on its first call
            reply = ("ok", func(*args))
        except BadArticle as exc:
            reply = ("bad", str(exc))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:
            reply = ("error", type(exc).__name__)
        try:
            payload = pickle.dumps(reply)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except Exception as exc:  # a result that does not pickle
            payload = pickle.dumps(("error", type(exc).__name__))
        write_frame(out, payload)
