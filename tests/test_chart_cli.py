"""`investor-qa chart` and `ask --json` with tables and series, in process with the fake embedder."""

import json

import pytest
from PIL import Image

import index.embed
from bot.cli import main
from index.settings import get_settings
from tests.helpers import FakeEmbedder, write_article
from tests.test_compare_series import ARTICLES


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    """One corpus and index directory for the module: the first command builds, later reuse."""
    work = tmp_path_factory.mktemp("chart-cli")
    corpus = work / "corpus"
    corpus.mkdir()
    for name, title, published, ticker, body in ARTICLES:
        write_article(corpus, name, title, body, source='"Sample Wire"', published=published,
                      tickers=f"[{ticker}]")  # fmt: skip
    (corpus / "aliases.yml").write_text("Alpha: [ALPH, Alpha Corp]\nBeta: [BETA, Beta Group]\n")
    return ["--corpus", str(corpus), "--index-dir", str(work / "index")]


@pytest.fixture
def cli(dirs, monkeypatch):
    monkeypatch.setattr(
        index.embed, "SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    monkeypatch.setenv("INVESTOR_QA_MIN_SCORE", "0.2")
    get_settings.cache_clear()
    yield lambda *args: main([*args, *dirs])
    get_settings.cache_clear()


def test_chart_writes_a_png_and_prints_the_cited_points(cli, tmp_path, capsys):
    out = tmp_path / "charts" / "alpha.png"
    assert (
        cli("chart", "How has Alpha Corp's cloud revenue growth changed?", "--out", str(out)) == 0
    )
    printed = capsys.readouterr()
    assert "Series: cloud revenue growth (% change), 4 points" in printed.out
    assert f"Chart: {out} (4 points)" in printed.err
    image = Image.open(out)
    assert image.format == "PNG" and image.width >= 900
    assert not list(out.parent.glob("*.partial"))


def test_chart_without_enough_points_exits_1_and_says_why(cli, tmp_path, capsys):
    out = tmp_path / "beta.png"
    assert cli("chart", "Beta Group cloud revenue growth", "--out", str(out)) == 1
    printed = capsys.readouterr()
    assert "only two dated figures" in printed.out
    assert printed.err.strip().endswith("not enough dated figures of one measure")
    assert not out.exists()


def test_chart_refuses_an_output_that_is_not_png(cli, tmp_path, capsys):
    assert cli("chart", "Alpha Corp cloud revenue growth", "--out", str(tmp_path / "x.jpg")) == 2
    assert "must name a .png file" in capsys.readouterr().err


def test_ask_json_carries_table_and_series(cli, capsys):
    assert cli("ask", "compare AI capex: Alpha, Beta", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["table"]["columns"][:2] == ["company", "figure"]
    assert [r["company"] for r in data["table"]["rows"]] == ["Alpha", "Beta"]
    assert data["table"]["rows"][0]["citations"] == [1] and "series" not in data
    assert cli("ask", "Alpha Corp cloud revenue growth trend", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {"date", "value", "unit", "citation"} <= set(data["series"][0])
    assert "table" not in data
