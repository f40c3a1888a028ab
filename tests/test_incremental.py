"""Incremental indexing: change counts by content hash, and only new text is embedded."""

from index.build import build_index
from index.search import Searcher
from tests.helpers import FakeEmbedder, write_article


def build(corpus, index_dir, embedder, counter):
    return build_index(corpus, index_dir, embedder, counter)


def test_counts_and_only_changed_text_is_embedded(small_corpus, tmp_path, counter):
    index_dir = tmp_path / "index"
    first = build(small_corpus, index_dir, FakeEmbedder(), counter)
    assert first.changes.model_dump() == {"added": 4, "updated": 0, "removed": 0, "unchanged": 0}
    assert first.encoded == first.chunks

    write_article(
        small_corpus, "nvidia.md", "Nvidia record", "Data center revenue hit $41.1 billion."
    )
    (small_corpus / "bread.md").unlink()
    notes = small_corpus / "notes.txt"
    notes.write_text(notes.read_text() + "\nAzure AI demand exceeded capacity.\n")
    embedder = FakeEmbedder()
    second = build(small_corpus, index_dir, embedder, counter)
    assert second.changes.model_dump() == {"added": 1, "updated": 1, "removed": 1, "unchanged": 2}
    # The new article's one chunk and the changed article's one chunk; nothing else.
    assert second.encoded == embedder.documents_encoded == 2

    paths = {
        r["path"]
        for r in Searcher(index_dir, FakeEmbedder()).files.query("SELECT path FROM articles")
    }
    assert paths == {"alibaba.md", "tencent.md", "notes.txt", "nvidia.md"}

    third = build(small_corpus, index_dir, (embedder := FakeEmbedder()), counter)
    assert third.changes.unchanged == 4 and embedder.documents_encoded == 0


def test_metadata_change_is_an_update_without_reembedding(small_corpus, tmp_path, counter):
    index_dir = tmp_path / "index"
    build(small_corpus, index_dir, FakeEmbedder(), counter)
    path = small_corpus / "tencent.md"
    path.write_text(path.read_text().replace("published: 2025-03-19", "published: 2025-03-20"))
    embedder = FakeEmbedder()
    report = build(small_corpus, index_dir, embedder, counter)
    assert (report.changes.updated, report.changes.unchanged) == (1, 3)
    assert embedder.documents_encoded == 0  # same chunk texts: vectors come from the cache
    hits = Searcher(index_dir, FakeEmbedder()).search("Tencent capital expenditure", 1)
    assert str(hits[0].published) == "2025-03-20"


def test_cli_prints_counts_and_strict_fails_on_warnings(
    small_corpus, tmp_path, monkeypatch, capsys
):
    from bot.cli import main

    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    args = ["index", "--corpus", str(small_corpus), "--index-dir", str(tmp_path / "idx")]
    assert main(args) == 0
    assert "added 4, updated 0, removed 0, unchanged 0 in " in capsys.readouterr().err
    (small_corpus / "deck.pptx").write_bytes(b"PK")
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "added 0, updated 0, removed 0, unchanged 4" in err
    assert "warning: deck.pptx: skipped, unsupported file type .pptx" in err
    assert main([*args, "--strict"]) == 1
    assert "1 warning(s) and --strict" in capsys.readouterr().err


def test_unchanged_articles_reuse_their_chunks_exactly(
    small_corpus, tmp_path, counter, monkeypatch
):
    import index.build
    from index.chunk import ChunkerSettings, chunk_article
    from index.load import load_corpus

    index_dir = tmp_path / "index"
    build(small_corpus, index_dir, FakeEmbedder(), counter)
    notes = small_corpus / "notes.txt"
    notes.write_text(notes.read_text() + "\nAzure AI demand exceeded capacity.\n")
    chunked = []

    def recording(article, *args):
        chunked.append(article.path)
        return chunk_article(article, *args)

    monkeypatch.setattr(index.build, "chunk_article", recording)
    build(small_corpus, index_dir, FakeEmbedder(), counter)
    assert chunked == ["notes.txt"]
    files = Searcher(index_dir, FakeEmbedder()).files
    stored = [
        tuple(r)
        for r in files.query(
            'SELECT id, start, "end", text, page, context, n_tokens FROM chunks ORDER BY rowid'
        )
    ]
    fresh = [
        (c.id, c.start, c.end, c.text, c.page, c.context, c.n_tokens)
        for a in load_corpus(small_corpus).articles
        for c in chunk_article(a, counter, ChunkerSettings())
    ]
    assert stored == fresh
