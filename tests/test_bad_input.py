"""A corpus mixing good articles with every kind of bad file: all good ones indexed,
one warning per bad file naming it, exit 0; `--strict` makes the warnings fail the run."""

import os
import random
import shutil
import subprocess
import sys

import pytest

from index.search import Searcher
from tests.helpers import ROOT, FakeEmbedder
from tests.pdf_factory import make_pdf

GOOD = {"alibaba.md", "tencent.md", "notes.txt", "bread.md"}
# Bad files whose readable text is still indexed (with a warning saying what was repaired).
REPAIRED = {"latin1.txt", "bad-front.md", "huge.txt", "nul.txt"}
SKIPPED = {"empty.md", "random.pdf", "truncated.pdf", "loop.md", "secret.md"}


def drop_dac_override() -> list[str]:
    """As root, permission bits only bind once the DAC override capabilities are gone."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def add_bad_files(corpus):
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "random.pdf").write_bytes(random.Random(7).randbytes(4096))
    latin = "Nestlé résumé\nLe chiffre d'affaires a progressé de 7,2 % à 93 milliards."
    (corpus / "latin1.txt").write_bytes(latin.encode("latin-1"))
    pdf = make_pdf([["Quarterly report", "Revenue rose 9% to $2.2 billion."]] * 3)
    (corpus / "truncated.pdf").write_bytes(pdf[: len(pdf) * 2 // 3])
    (corpus / "bad-front.md").write_text("---\ntitle: [unclosed\n---\nMargins widened to 21%.\n")
    line = b"Shipments rose 4% in the period while average selling prices were flat overall.\n"
    with (corpus / "huge.txt").open("wb") as fh:
        fh.write(b"Huge export\n")
        for _ in range(50_000_000 // (len(line) * 1000) + 1):
            fh.write(line * 1000)
    (corpus / "nul.txt").write_bytes(b"Nul note\nOperating profit\x00 rose 12% to $3 billion.\n")
    os.symlink("loop.md", corpus / "loop.md")
    (corpus / "secret.md").write_text("---\ntitle: Secret\n---\nHidden numbers.\n")
    (corpus / "secret.md").chmod(0)


def run_index(corpus, index_dir, *extra):
    return subprocess.run(
        [*drop_dac_override(), sys.executable, str(ROOT / "tests" / "fake_cli.py"), "index"]
        + ["--corpus", str(corpus), "--index-dir", str(index_dir), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bad_files_warn_once_each_and_good_articles_are_indexed(small_corpus, tmp_path):
    add_bad_files(small_corpus)
    assert (small_corpus / "huge.txt").stat().st_size >= 50_000_000
    index_dir = tmp_path / "index"
    result = run_index(small_corpus, index_dir)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    named = [w.removeprefix("warning: ").split(":", 1)[0] for w in warnings]
    assert sorted(named) == sorted(REPAIRED | SKIPPED), warnings
    by_file = dict(zip(named, warnings, strict=True))
    assert "not valid UTF-8" in by_file["latin1.txt"]
    assert "malformed front matter" in by_file["bad-front.md"]
    assert "large file (50.1 MB)" in by_file["huge.txt"]
    assert "NUL byte" in by_file["nul.txt"]
    assert "empty file" in by_file["empty.md"]
    assert "not a readable PDF" in by_file["random.pdf"]
    assert "not a readable PDF" in by_file["truncated.pdf"]
    assert "unreadable" in by_file["loop.md"] and "symbolic links" in by_file["loop.md"]
    assert "unreadable (Permission denied)" in by_file["secret.md"]
    assert "added 8, updated 0, removed 0, unchanged 0" in result.stderr

    searcher = Searcher(index_dir, FakeEmbedder())
    rows = searcher.files.query("SELECT path, text FROM articles")
    texts = {row["path"]: row["text"] for row in rows}
    assert set(texts) == GOOD | REPAIRED
    assert "progressé de 7,2 %" in texts["latin1.txt"]
    assert "Operating profit rose 12%" in texts["nul.txt"]
    assert 1_000_000 < len(texts["huge.txt"]) <= 2_000_000

    strict = run_index(small_corpus, index_dir, "--strict")
    assert strict.returncode == 1
    assert "9 warning(s) and --strict" in strict.stderr
    assert strict.stderr.count("warning: ") == 9
