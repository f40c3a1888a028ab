"""HTML, PDF and bulk-export loading: main text, metadata, pages, and one warning per problem."""

import json
from datetime import date

from index.load import load_corpus
from tests.pdf_factory import encrypt_pdf, make_pdf

PAGE = """<!doctype html><html><head>
<title>Acme beats estimates | Example News</title>
<meta property="og:title" content="Acme beats estimates as cloud demand grows">
<meta property="article:published_time" content="2025-06-03T10:00:00Z">
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.com/acme-beats">
<script>window.tracking = "SCRIPT-MARKER";</script><style>.x{color:red}</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/markets">Markets</a> | NAV-MARKER</nav>
<div class="cookie-banner">We use cookies to improve your experience. COOKIE-MARKER Accept all</div>
<article><h1>Acme beats estimates as cloud demand grows</h1>
<p>Acme Corp reported revenue of $12.4 billion for the second quarter, up 18% from a year
earlier and ahead of analyst estimates, as customers bought more cloud capacity.</p>
<p>The company raised its full-year revenue guidance to $50 billion and said capital
spending on data centers would reach $9 billion this year.</p>
<p>Chief executive Sam Lee said demand for AI services remained strong in every region.</p>
</article>
<footer>Copyright 2025 Example News. FOOTER-MARKER All rights reserved.</footer>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "acme.html").write_text(PAGE, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.warnings == []
    [article] = result.articles
    assert article.title == "Acme beats estimates as cloud demand grows"
    assert article.published == date(2025, 6, 3)
    assert article.url == "https://news.example.com/acme-beats"
    assert article.author == "Jane Roe"
    assert article.source == "Example News"
    assert "revenue of $12.4 billion" in article.text and "$9 billion" in article.text
    for marker in ("SCRIPT-MARKER", "NAV-MARKER", "COOKIE-MARKER", "FOOTER-MARKER", "color:red"):
        assert marker not in article.text


def test_html_date_from_json_ld_and_title_without_site_name(tmp_path):
    page = (
        "<html><head><title>Tencent lifts capex | Daily Tech</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2024-11-05T08:00:00+08:00", "author": {"name": "Li Wei"}}</script>'
        "</head><body><h1>Tencent lifts capex</h1><p>"
        + "Tencent raised capital expenditure to RMB 23 billion in the quarter. " * 3
        + "</p></body></html>"
    )
    (tmp_path / "t.htm").write_text(page, encoding="utf-8")
    [article] = load_corpus(tmp_path).articles
    assert article.title == "Tencent lifts capex"
    assert article.published == date(2024, 11, 5)
    assert article.author == "Li Wei"


def test_html_without_article_text_is_one_warning(tmp_path):
    (tmp_path / "nav.html").write_text("<html><body><nav>Home</nav></body></html>")
    result = load_corpus(tmp_path)
    assert result.articles == []
    assert len(result.warnings) == 1 and result.warnings[0].startswith("nav.html: skipped")


def test_pdf_pages_title_and_offsets(tmp_path):
    pages = [
        ["Acme Annual Report 2024", "Revenue grew 12% to $4.1 billion in fiscal 2024."],
        ["Capital expenditure was $900 million, mostly on new data centers."],
        ["The board approved a dividend of $0.25 per share."],
    ]
    (tmp_path / "acme.pdf").write_bytes(make_pdf(pages, title="Acme 10-K 2024"))
    [article] = load_corpus(tmp_path).articles
    assert article.title == "Acme 10-K 2024"
    assert len(article.page_starts) == 3
    for page_no, needle in ((1, "Revenue grew 12%"), (2, "$900 million"), (3, "$0.25 per share")):
        assert article.page_at(article.text.index(needle)) == page_no


def test_pdf_title_falls_back_to_first_line(tmp_path):
    lines = ["Quarterly note on Baidu", "Baidu AI Cloud revenue rose 27% in the quarter."]
    (tmp_path / "note.pdf").write_bytes(make_pdf([lines]))
    assert load_corpus(tmp_path).articles[0].title == "Quarterly note on Baidu"


def test_encrypted_pdf_with_empty_password_opens(tmp_path):
    data = make_pdf([["Encrypted filing", "Net income was $3.2 billion for the year."]])
    encrypt_pdf(data, tmp_path / "filing.pdf")
    assert b"/Encrypt" in (tmp_path / "filing.pdf").read_bytes()
    result = load_corpus(tmp_path)
    assert result.warnings == []
    assert "Net income was $3.2 billion" in result.articles[0].text


def test_bad_pdfs_each_get_one_clear_warning(tmp_path):
    good = make_pdf([["A readable page", "Operating margin improved to 31% this year."]])
    (tmp_path / "ok.pdf").write_bytes(good)
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[], []]))
    (tmp_path / "random.pdf").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 2])
    encrypt_pdf(good, tmp_path / "locked.pdf", user_password="secret")
    result = load_corpus(tmp_path)
    assert [a.path for a in result.articles] == ["ok.pdf"]
    by_file = {w.split(":", 1)[0]: w for w in result.warnings}
    assert len(result.warnings) == len(by_file) == 4
    assert "no extractable text (scanned PDF?)" in by_file["scan.pdf"]
    assert "not a readable PDF" in by_file["random.pdf"]
    assert "not a readable PDF" in by_file["cut.pdf"]
    assert "password protected" in by_file["locked.pdf"]


def test_jsonl_records_become_articles_with_line_ids(tmp_path):
    records = [
        {"title": "Meta lifts capex", "text": "Meta expects capex of $66-72 billion.", "tickers": ["META"], "published": "2025-07-30", "source": "Wire"},
        {"title": "No body here", "url": "https://example.com/x"},
        {"title": "Apple buyback", "body": "Apple authorised a $100 billion buyback.", "tickers": "AAPL"},
    ]  # fmt: skip
    lines = [json.dumps(r) for r in records]
    lines.insert(2, "{not json")
    (tmp_path / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_corpus(tmp_path)
    by_path = {a.path: a for a in result.articles}
    assert set(by_path) == {"export.jsonl#L1", "export.jsonl#L4"}
    assert by_path["export.jsonl#L1"].tickers == ["META"]
    assert by_path["export.jsonl#L1"].published == date(2025, 7, 30)
    assert by_path["export.jsonl#L4"].text == "Apple authorised a $100 billion buyback."
    [warning] = result.warnings
    assert warning.startswith("export.jsonl: ")
    assert "line 2: no text, skipped" in warning and "line 3: not valid JSON" in warning


def test_csv_rows_become_articles_and_quoted_newlines_keep_line_numbers(tmp_path):
    (tmp_path / "notes.csv").write_text(
        "title,content,tickers,source\n"
        '"Nvidia data center","Data center revenue was $41.1 billion.\nUp 56%.","NVDA",Wire\n'
        "Empty,,MSFT,Wire\n"
        'TSMC,"TSMC guided capex to $40-42 billion.","TSM, 2330.TW",Wire\n',
        encoding="utf-8",
    )
    result = load_corpus(tmp_path)
    by_path = {a.path: a for a in result.articles}
    assert set(by_path) == {"notes.csv#L2", "notes.csv#L5"}
    assert by_path["notes.csv#L5"].tickers == ["TSM", "2330.TW"]
    assert by_path["notes.csv#L2"].source == "Wire"
    assert result.warnings == ["notes.csv: line 4: no text, skipped"]


def test_unsupported_extension_is_one_line(tmp_path):
    (tmp_path / "deck.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / "ok.txt").write_text("Title\nBody text about revenue.\n")
    result = load_corpus(tmp_path)
    assert result.warnings == ["deck.pptx: skipped, unsupported file type .pptx"]


def test_same_text_in_two_files_is_indexed_once(tmp_path):
    (tmp_path / "a.txt").write_text("Alibaba note\nCloud revenue grew 26% in the quarter.\n")
    (tmp_path / "b.md").write_text(
        "---\ntitle: Copy\n---\ncloud   revenue grew 26% in the QUARTER.\n"
    )
    (tmp_path / "c.txt").write_text("Other\nSomething else entirely.\n")
    result = load_corpus(tmp_path)
    assert sorted(a.path for a in result.articles) == ["a.txt", "c.txt"]
    assert result.warnings == ["b.md: same text as a.txt, indexed once (kept a.txt)"]
