"""Passage expansion: a hit cut mid-sentence is completed from its article, within limits."""

from index.build import build_index
from index.expand import MAX_EXTRA, needs_expansion
from index.search import Searcher
from tests.helpers import write_article


def test_needs_expansion_only_when_cut():
    assert needs_expansion("Revenue rose to $5 billion in")
    assert needs_expansion("Capital expenditures (1,577) (1,373)")
    assert not needs_expansion("Revenue rose 5%.")
    assert not needs_expansion("It said: “done.”")


def test_cut_sentence_is_completed_from_the_next_chunk(tmp_path, fake_embedder, counter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # One sentence far longer than the 256-token window: the chunker must cut it.
    words = " ".join(f"segment{i} grew" for i in range(160))
    body = f"Cainiao volumes {words} strongly overall. A second sentence follows here."
    write_article(corpus, "long.md", "Long", body)
    build_index(corpus, tmp_path / "idx", fake_embedder, counter)
    searcher = Searcher(tmp_path / "idx", fake_embedder)
    text = (corpus / "long.md").read_text()
    first = searcher.hits_for([(0, 1.0)])[0]
    assert needs_expansion(first.text)
    hit = next(
        h for h in searcher.search("Cainiao volumes segment0", k=3) if h.start == first.start
    )
    assert hit.end > first.end
    assert hit.end - first.end <= MAX_EXTRA
    assert hit.text == text[text.index("Cainiao") :][: len(hit.text)]
    assert hit.text.startswith(first.text)
