"""`investor-qa index --ray`: the Ray build runs in a child process, so a lost cluster is one error.

Ray ends a driver process outright when it loses its cluster (after its GCS reconnect timeout,
60 s by default): no exception reaches Python, only a log line. So the process that talks to
Ray is a child; this one lists and fingerprints the corpus, decides whether a build is due,
waits for the child's report while showing its progress, and turns any other end of the child
into one `DistributedBuildFailed` line. Publishing is the build's last step, so a child that
dies earlier leaves the previous index answering. The child's own output (Ray's logs) goes to
`<index_dir>/ray-build.log`.
"""

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm

from index.build import BuildReport, build_index, corpus_fingerprint, is_stale
from index.chunk import ChunkerSettings
from index.distributed import RayRunner
from index.embed import Embedder
from index.errors import DistributedBuildFailed, InvestorQAError
from index.load import MAX_ARTICLE_BYTES
from index.locking import build_lock
from index.ray_cluster import import_ray, one_line
from index.tokens import TokenCounter

logger = logging.getLogger(__name__)

RAY_LOG = "ray-build.log"
EXIT_WAIT_S = 60  # for the child to shut Ray down after it reported


class RayJob(BaseModel):
    """What the child builds, and on which cluster."""

    corpus_dir: Path
    index_dir: Path
    address: str
    actors: int
    device: str
    chunker: ChunkerSettings
    batch_size: int
    max_article_bytes: int
    fingerprint: str
    force: bool = False

    @property
    def log(self) -> Path:
        """Where the child's output goes."""
        return self.index_dir / RAY_LOG


def build_on_ray(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    counter: TokenCounter,
    address: str = "auto",
    actors: int = 0,
    device: str = "auto",
    chunker: ChunkerSettings | None = None,
    batch_size: int = 32,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    force: bool = False,
    show_progress: bool = False,
) -> BuildReport | None:
    """Build on Ray when the index is missing or stale (or `force`); None when it was up to date."""
    import_ray()  # RayNotInstalled before any work
    chunker = chunker or ChunkerSettings()
    fingerprint = corpus_fingerprint(Path(corpus_dir), embedder.name, chunker, max_article_bytes)
    if not force and not is_stale(Path(index_dir), fingerprint):
        return None
    job = RayJob(
        corpus_dir=corpus_dir,
        index_dir=index_dir,
        address=address,
        actors=actors,
        device=device,
        chunker=chunker,
        batch_size=batch_size,
        max_article_bytes=max_article_bytes,
        fingerprint=fingerprint,
        force=force,
    )
    job.index_dir.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited threads
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, job, embedder, counter), name="ray-build")
    child.start()
    send.close()  # the child holds the only writing end: its exit is our end of file
    try:
        return _follow(child, receive, job, show_progress)
    finally:
        child.join(EXIT_WAIT_S)
        if child.is_alive():
            child.terminate()
            child.join()


def _follow(
    child: BaseProcess, receive: Connection, job: RayJob, show_progress: bool
) -> BuildReport | None:
    """The child's report (None: another build made the index current meanwhile), its domain
    error, or DistributedBuildFailed when it died."""
    with tqdm(desc="Embedding on Ray", unit="chunk", disable=not show_progress, leave=False) as bar:
        while True:
            try:
                kind, value = receive.recv()
            except EOFError:
                break
            if kind == "todo":
                bar.reset(total=value)
            elif kind == "encoded":
                bar.update(value)
            elif kind == "report":
                return BuildReport.model_validate_json(value) if value else None
            elif kind == "error":
                raise value
    child.join()
    where = "local Ray runtime" if job.address == "auto" else f"Ray cluster at {job.address}"
    raise DistributedBuildFailed(
        f"the Ray build stopped before publishing (exit code {child.exitcode}): it lost the "
        f"{where}, or its process was killed; the previous index still answers; "
        f"Ray's log: {job.log}"
    )


def _child(send: Connection, job: RayJob, embedder: Embedder, counter: TokenCounter) -> None:
    """Run the build on Ray and send its report, or its one-line error, to the parent."""
    _output_to(job.log)
    # tqdm's default lock is a multiprocessing semaphore: a child killed by Ray would leak it,
    # and the resource tracker would say so on the parent's terminal.
    tqdm.set_lock(threading.RLock())
    try:
        # One build at a time per index, as `ensure_index`: decided again once the lock is held,
        # so a build that finished meanwhile is not repeated (and no Ray runtime is started).
        with build_lock(job.index_dir):
            if not job.force and not is_stale(job.index_dir, job.fingerprint):
                send.send(("report", None))
                return
            _build(send, job, embedder, counter)
    except InvestorQAError as exc:
        logger.warning("Ray build failed: %s", exc)
        send.send(("error", exc))
    except BaseException as exc:  # anything else: the traceback goes to the log
        logger.exception("Ray build failed")
        error = DistributedBuildFailed(f"the Ray build failed ({one_line(exc)}); see {job.log}")
        send.send(("error", error))


def _build(send: Connection, job: RayJob, embedder: Embedder, counter: TokenCounter) -> None:
    """Build on the job's cluster and send the report (the runtime it started ends after)."""
    with RayRunner(job.address, job.actors, job.device, notify=_sender(send)) as runner:
        report = build_index(
            job.corpus_dir,
            job.index_dir,
            embedder,
            counter,
            job.chunker,
            job.batch_size,
            max_article_bytes=job.max_article_bytes,
            fingerprint=job.fingerprint,
            runner=runner,
        )
        send.send(("report", report.model_dump_json()))  # then Ray shuts down


def _sender(send: Connection) -> Callable[[str, int], None]:
    def notify(kind: str, n: int) -> None:
        send.send((kind, n))

    return notify


def _output_to(log: Path) -> None:
    """Send this process's stdout, stderr and logging (Ray's too) to `log`."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for target in (1, 2):
        os.dup2(fd, target)
    os.close(fd)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, force=True)
