"""A build killed at any step leaves the previous index loadable and correct, and a
reader running during builds always sees one whole version, never a mix."""

import threading
import time

import pytest

from index.build import build_index
from index.search import Searcher
from tests.helpers import FakeEmbedder, kill_cli_at, write_article

QUESTION = "How much is Alibaba investing in AI and cloud?"


def snapshot(index_dir):
    searcher = Searcher(index_dir, FakeEmbedder())
    paths = {r["path"] for r in searcher.files.query("SELECT path FROM articles")}
    hits = [(h.chunk_id, round(h.score, 6)) for h in searcher.search(QUESTION, 3)]
    searcher.files.close()
    return paths, hits


def change_corpus(corpus):
    write_article(corpus, "nvidia.md", "Nvidia record", "Data center revenue hit $41.1 billion.")
    (corpus / "alibaba.md").write_text((corpus / "alibaba.md").read_text() + "\nMore AI spend.\n")
    (corpus / "bread.md").unlink()


@pytest.mark.parametrize("step", ["embed", "write", "publish"])
def test_kill_9_mid_build_keeps_the_previous_index(step, small_corpus, tmp_path, counter):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, FakeEmbedder(), counter)
    before = snapshot(index_dir)
    change_corpus(small_corpus)
    signal = tmp_path / "paused"
    kill_cli_at(
        step, ["index", "--corpus", str(small_corpus), "--index-dir", str(index_dir)], signal
    )
    assert snapshot(index_dir) == before

    report = build_index(small_corpus, index_dir, FakeEmbedder(), counter)
    assert report.changes.model_dump() == {"added": 1, "updated": 1, "removed": 1, "unchanged": 2}
    paths, _ = snapshot(index_dir)
    assert paths == {"alibaba.md", "tencent.md", "notes.txt", "nvidia.md"}
    assert not list(index_dir.glob(".tmp-*"))
    assert len(list(index_dir.glob("v-*"))) <= 2


def test_reader_sees_old_or_new_never_a_mix(small_corpus, tmp_path, counter):
    index_dir = tmp_path / "index"
    build_index(small_corpus, index_dir, FakeEmbedder(), counter)
    old_paths, _ = snapshot(index_dir)
    seen, errors, done = [], [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                searcher = Searcher(index_dir, FakeEmbedder())
                rows = searcher.files.query("SELECT path FROM articles")
                hits = searcher.search(QUESTION, 5)
                paths = frozenset(r["path"] for r in rows)
                assert searcher.manifest.articles == len(paths)
                assert {h.path for h in hits} <= paths
                seen.append(paths)
                searcher.files.close()
            except Exception as exc:  # recorded, so the main thread can report it
                errors.append(repr(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    extra = small_corpus / "nvidia.md"
    try:
        for i in range(6):
            if i % 2 == 0:
                write_article(small_corpus, "nvidia.md", "Nvidia", f"Revenue hit ${i}1 billion.")
            else:
                extra.unlink()
            build_index(small_corpus, index_dir, FakeEmbedder(), counter)
            time.sleep(0.05)
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert set(seen) <= {frozenset(old_paths), frozenset(old_paths | {"nvidia.md"})}
    assert len(set(seen)) == 2  # the reader really saw both versions
