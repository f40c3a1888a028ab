"""Parse, chunk and encode on a Ray cluster; everything else is `index.build`'s own build.

`RayRunner` is a `BuildRunner` (index/runner.py), used as `build_index(..., runner=runner)`:
- load: the driver lists the corpus as `load_corpus` does; Ray tasks parse and chunk groups of
  files; their results come back in listing order and are gathered as `load_corpus` gathers them.
- encode: the build sends only the texts its embedding cache lacks; they go through
  `map_batches` on an actor pool (one model load per actor; one GPU per actor when the cluster
  has GPUs, else CPU actors of a few threads each), and the vectors come back keyed by the
  text's cache key, in parts the build stores in the cache as they arrive.
A parse task whose worker died is retried (RETRIES times); Ray Data restarts a dead embedding
actor and retries its batch (its default, without limit). So a killed worker costs time, not
the build; an error raised by the code itself fails the build at once, with one line.
Ray's usage statistics are switched off before Ray is imported.
"""

import logging
import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.chunk import ChunkerSettings, chunk_article
from index.embed import Embedder, Progress
from index.errors import CorpusNotFound, DistributedBuildFailed
from index.load import LoadResult, gather_loaded, iter_corpus_files, load_entry
from index.ray_cluster import check_nodes, import_ray, one_line, plan_actors
from index.tokens import TokenCounter

logger = logging.getLogger(__name__)

RETRIES = 3  # per parse task whose worker died: a killed worker is retried, a crash loop is not
FILES_PER_TASK = 32  # at most; fewer when there are few files per CPU


def _parse_files(
    corpus_dir: str,
    paths: list[str],
    max_article_bytes: int,
    counter: TokenCounter,
    chunker: ChunkerSettings,
) -> list[LoadResult]:
    """A Ray task: load and chunk some corpus entries, one result per entry."""
    results = []
    for path in paths:
        entry = load_entry(Path(corpus_dir), Path(path), max_article_bytes)
        entry.chunks = {a.id: chunk_article(a, counter, chunker) for a in entry.articles}
        results.append(entry)
    return results


class EmbedBatches:
    """A Ray Data actor: loads the model once, then encodes the batches it is given."""

    def __init__(self, embedder: Embedder, batch_size: int, threads: int):
        embedder.load()
        torch = sys.modules.get("torch")
        if torch is not None:  # the model sized its threads to the machine, not to this actor
            torch.set_num_threads(threads)
        self.embedder, self.batch_size = embedder, batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Vectors for `batch["text"]`, with their keys."""
        vectors = self.embedder.encode_documents(list(batch["text"]), self.batch_size)
        return {"key": batch["key"], "vector": np.asarray(vectors, dtype=np.float32)}


class RayRunner:
    """A `BuildRunner` on Ray: `with RayRunner("auto") as runner: build_index(..., runner=runner)`.

    `address` is `auto` (start a local Ray runtime, or use the one this process already has)
    or a cluster address (`host:port` from `ray start --head`, or `ray://host:10001`).
    """

    def __init__(
        self,
        address: str = "auto",
        actors: int = 0,
        device: str = "auto",
        notify: Callable[[str, int], None] | None = None,
    ):
        self.address, self.wanted, self.device = address, actors, device
        self.notify = notify or (lambda kind, n: None)  # ("todo", n) then ("encoded", n)...
        self.method = "ray"
        self._ray: Any = None
        self._started = False

    def __enter__(self) -> "RayRunner":
        ray = self._ray = import_ray()
        if not ray.is_initialized():
            try:
                if self.address == "auto":  # "local": a fresh runtime, never a stranger's
                    cpus = len(os.sched_getaffinity(0))
                    ray.init(address="local", num_cpus=cpus, include_dashboard=False)
                else:
                    ray.init(address=self.address)
            except Exception as exc:  # ConnectionError, ValueError, RuntimeError...
                raise DistributedBuildFailed(
                    f"cannot join the Ray cluster at {self.address}: {one_line(exc)}"
                ) from exc
            self._started = True
        try:
            ray.data.DataContext.get_current().enable_progress_bars = False
            nodes = [n for n in ray.nodes() if n.get("Alive")]
            node_cpus = [int(n["Resources"].get("CPU", 0)) for n in nodes]
            gpus = int(sum(n["Resources"].get("GPU", 0) for n in nodes))
            self.plan = plan_actors(node_cpus, gpus, self.device, self.wanted)
        except BaseException:
            self.__exit__()  # a runtime this runner started does not outlive it
            raise
        self.cpus = max(1, sum(node_cpus))
        self.method = f"ray: {self.plan.describe()}"
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._started:
            self._ray.shutdown()

    def load(
        self,
        corpus_dir: Path,
        max_article_bytes: int,
        counter: TokenCounter,
        chunker: ChunkerSettings,
    ) -> LoadResult:
        """List here, parse and chunk on the cluster, gather here in listing order."""
        ray = self._ray
        corpus_dir = Path(corpus_dir).absolute()  # workers open the same path
        if not corpus_dir.is_dir():
            raise CorpusNotFound(f"corpus directory not found: {corpus_dir}")
        check_nodes(self._ray, corpus_dir)
        files = [str(p) for p in iter_corpus_files(corpus_dir)]
        per_task = max(1, min(FILES_PER_TASK, math.ceil(len(files) / (4 * self.cpus))))
        parse = ray.remote(num_cpus=1, max_retries=RETRIES)(_parse_files)
        shared = ray.put(counter)
        refs = [
            parse.remote(
                str(corpus_dir), files[i : i + per_task], max_article_bytes, shared, chunker
            )
            for i in range(0, len(files), per_task)
        ]
        try:
            groups = ray.get(refs)
        except Exception as exc:
            raise DistributedBuildFailed(f"parsing on Ray failed: {one_line(exc)}") from exc
        return gather_loaded(entry for group in groups for entry in group)

    def encode(
        self, embedder: Embedder, todo: dict[str, str], batch_size: int, progress: Progress | None
    ) -> Iterator[dict[str, np.ndarray]]:
        """Encode `todo` on the actor pool; yield {key: vector} parts as they come back."""
        if not todo:
            return
        import pyarrow as pa

        ray, keys = self._ray, list(todo)
        # Blocks of up to 8 batches (what the plain build caches at a time), smaller when there
        # are few texts, so every actor gets several and none idles while one finishes.
        rows = max(batch_size, min(batch_size * 8, math.ceil(len(keys) / (4 * self.plan.count))))
        blocks = [
            pa.table({"key": keys[i : i + rows], "text": [todo[k] for k in keys[i : i + rows]]})
            for i in range(0, len(keys), rows)
        ]
        vectors = ray.data.from_arrow(blocks).map_batches(
            EmbedBatches,
            fn_constructor_kwargs={
                "embedder": embedder,
                "batch_size": batch_size,
                "threads": self.plan.cpus,
            },
            batch_size=rows,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.plan.count, len(blocks))),
            num_cpus=self.plan.cpus,
            num_gpus=self.plan.gpus,
        )
        self.notify("todo", len(keys))
        try:
            for batch in vectors.iter_batches(batch_size=None, batch_format="numpy"):
                part = dict(zip(batch["key"].tolist(), batch["vector"], strict=True))
                if progress:
                    progress(len(part))
                self.notify("encoded", len(part))
                yield part
        except Exception as exc:
            raise DistributedBuildFailed(f"encoding on Ray failed: {one_line(exc)}") from exc
