"""The Ray build's parts that need no Ray: actor planning, the runner seam, the missing extra."""

import sys

import numpy as np
import pytest

from bot.cli import main
from index.build import build_index
from index.distributed import _parse_files
from index.errors import DistributedBuildFailed
from index.load import gather_loaded, iter_corpus_files
from index.ray_cluster import ActorPlan, plan_actors
from index.settings import get_settings
from tests.helpers import FakeEmbedder, dump_index, write_article
from tests.pdf_factory import make_pdf


def test_one_actor_per_gpu_else_cpu_actors_of_a_few_threads():
    assert plan_actors([8, 8], gpus=2) == ActorPlan(count=2, cpus=1, gpus=1)
    assert plan_actors([8, 8], gpus=2, wanted=1) == ActorPlan(count=1, cpus=1, gpus=1)
    assert plan_actors([8], gpus=1, device="cpu") == ActorPlan(count=2, cpus=4, gpus=0)
    assert plan_actors([2], gpus=0) == ActorPlan(count=1, cpus=2, gpus=0)
    assert plan_actors([16, 16, 0], gpus=0) == ActorPlan(count=8, cpus=4, gpus=0)
    assert plan_actors([6], gpus=0) == ActorPlan(count=2, cpus=3, gpus=0)  # no idle cores
    assert plan_actors([2], gpus=0, wanted=2) == ActorPlan(count=2, cpus=1, gpus=0)
    assert plan_actors([2], gpus=0, wanted=1) == ActorPlan(count=1, cpus=2, gpus=0)
    assert plan_actors([3, 3], gpus=0, wanted=2) == ActorPlan(count=2, cpus=3, gpus=0)
    assert plan_actors([2, 4], gpus=0, wanted=2) == ActorPlan(count=2, cpus=2, gpus=0)  # fits both
    assert plan_actors([], gpus=0).count == 1
    with pytest.raises(DistributedBuildFailed, match="no GPUs"):
        plan_actors([8], gpus=0, device="cuda")


def test_describe_names_the_workers():
    assert ActorPlan(count=2, cpus=1, gpus=0).describe() == "2 CPU actors x 1 thread"
    assert ActorPlan(count=1, cpus=4, gpus=0).describe() == "1 CPU actor x 4 threads"
    assert ActorPlan(count=8, cpus=1, gpus=1).describe() == "8 GPU actors"


class ScatteredRunner:
    """The Ray runner's steps without Ray: files parsed and chunked in groups by the task the
    Ray runner sends, vectors returned in small parts, in reverse order."""

    method = "scattered"

    def __init__(self):
        self.sent: list[str] = []

    def load(self, corpus_dir, max_article_bytes, counter, chunker):
        files = [str(p) for p in iter_corpus_files(corpus_dir)]
        groups = [
            _parse_files(str(corpus_dir), files[i : i + 3], max_article_bytes, counter, chunker)
            for i in range(0, len(files), 3)
        ]
        return gather_loaded(entry for group in groups for entry in group)

    def encode(self, embedder, todo, batch_size, progress):
        keys = list(todo)[::-1]
        self.sent += [todo[k] for k in keys]
        for i in range(0, len(keys), 5):
            part = keys[i : i + 5]
            yield dict(zip(part, embedder.encode_documents([todo[k] for k in part]), strict=True))


def test_a_runner_that_chunks_where_it_parses_builds_the_same_index(
    small_corpus, tmp_path, counter
):
    (small_corpus / "globex.pdf").write_bytes(
        make_pdf([["Globex annual report", "Revenue was $4.1 billion."], ["Capex $740 million."]])
    )
    (small_corpus / "bread-copy.md").write_text((small_corpus / "bread.md").read_text())
    plain = build_index(small_corpus, tmp_path / "plain", FakeEmbedder(), counter)
    runner = ScatteredRunner()
    report = build_index(small_corpus, tmp_path / "other", FakeEmbedder(), counter, runner=runner)
    a, b = dump_index(tmp_path / "plain"), dump_index(tmp_path / "other")
    assert b["build_method"] == "scattered" and a["build_method"] == "local"
    assert any("same text as" in w for w in report.warnings)  # gathered in listing order
    assert a["articles"] == b["articles"] and a["chunks"] == b["chunks"]
    assert np.array_equal(a["vectors"], b["vectors"])
    assert a["manifest"] == b["manifest"]
    assert report.model_dump(exclude={"seconds", "embed_seconds"}) == plain.model_dump(
        exclude={"seconds", "embed_seconds"}
    )
    # A second build sends the runner only texts the embedding cache has not seen.
    write_article(small_corpus, "nvidia.md", "Nvidia record", "Data center revenue hit $41.1B.")
    runner = ScatteredRunner()
    report = build_index(small_corpus, tmp_path / "other", FakeEmbedder(), counter, runner=runner)
    assert report.encoded == len(runner.sent) == 1 and "Nvidia" in runner.sent[0]


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_ray_without_the_extra_is_one_line_and_exit_2(
    how, small_corpus, tmp_path, monkeypatch, capsys
):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    args = ["index", "--corpus", str(small_corpus), "--index-dir", str(tmp_path / "idx")]
    if how == "flag":
        args.append("--ray")
    else:
        monkeypatch.setenv("INVESTOR_QA_RAY_ADDRESS", "10.0.0.5:6379")
        get_settings.cache_clear()
        monkeypatch.setattr("bot.cli.get_settings", get_settings)
    try:
        code = main(args)
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "pip install 'investor-qa[ray]'" in err[0], err
    assert not (tmp_path / "idx" / "CURRENT").exists()
