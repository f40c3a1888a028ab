"""Parsers run in worker processes: a crash, a hang or a memory blow-up is one BadArticle."""

import time
from pathlib import Path

import pytest

from index.build import build_index
from index.errors import BadArticle
from index.isolate import ParseLimits, run_isolated
from tests import crashers
from tests.helpers import FakeEmbedder, write_article
from tests.pdf_factory import flate_bomb_pdf, make_pdf

LIMITS = ParseLimits(timeout_s=20, memory_mb=512)


def test_results_and_bad_articles_come_back_as_they_were():
    assert run_isolated(crashers.echo, {"a": [1, 2]}, what="x", limits=LIMITS) == {"a": [1, 2]}
    with pytest.raises(BadArticle, match="^x.md: skipped, no text$"):
        run_isolated(crashers.refuse, "x.md: skipped, no text", what="x.md", limits=LIMITS)


@pytest.mark.parametrize(
    ("func", "args", "reason"),
    [
        (crashers.segfault, (), "the parser crashed (signal 11"),
        (crashers.allocate, (2048,), "needs more than 512 MB"),
        (crashers.recurse, (), "the parser failed (RecursionError)"),
    ],
)
def test_a_crash_or_a_blow_up_is_one_line_and_the_next_call_works(func, args, reason):
    with pytest.raises(BadArticle) as caught:
        run_isolated(func, *args, what="bad.pdf", limits=LIMITS)
    assert str(caught.value).startswith("bad.pdf: skipped, ") and reason in str(caught.value)
    assert run_isolated(crashers.echo, "next", what="x", limits=LIMITS) == "next"


def test_a_call_past_its_deadline_is_killed():
    started = time.monotonic()
    with pytest.raises(BadArticle, match="took longer than 0.5 s"):
        run_isolated(
            crashers.hang, what="slow.html", limits=LIMITS.model_copy(update={"timeout_s": 0.5})
        )
    assert time.monotonic() - started < 10  # killed, not waited for
    assert run_isolated(crashers.echo, 1, what="x", limits=LIMITS) == 1


def test_a_pdf_inflating_to_half_a_gigabyte_is_one_warning_beside_good_files(
    tmp_path: Path, counter, monkeypatch
):
    monkeypatch.setattr(
        "index.isolate.default_limits", lambda: ParseLimits(timeout_s=30, memory_mb=256)
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bomb.pdf").write_bytes(flate_bomb_pdf(512))
    (corpus / "filing.pdf").write_bytes(make_pdf([["Revenue grew 12% to $4.1 billion."] * 3]))
    write_article(corpus, "note.md", "Note", "Margins widened to 31% in the quarter.")
    report = build_index(corpus, tmp_path / "index", FakeEmbedder(), counter)
    assert report.articles == 2
    (warning,) = report.warnings
    assert warning.startswith("bomb.pdf: skipped, ")
