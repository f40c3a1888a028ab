"""`investor-qa add`: files by path and pages by URL (served from 127.0.0.1), indexed at once."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.cli import main
from index.errors import FetchFailed, NothingAdded
from index.fetch import FetchLimits, fetch
from index.ingest import add_files, add_url
from index.search import Searcher
from index.settings import IndexSettings, get_settings
from tests.helpers import FakeEmbedder
from tests.pdf_factory import make_pdf
from tests.test_formats import PAGE

ROUTES = {
    "/acme": ("text/html; charset=utf-8", PAGE.encode()),
    "/note.txt": ("text/plain", b"Baidu note\nBaidu AI Cloud revenue rose 27% in the quarter.\n"),
    "/report.pdf": ("application/pdf", make_pdf([["Filing", "Free cash flow was $1.9 billion."]])),
    "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    "/big": ("text/html", b"<p>" + b"x" * 3_000_000 + b"</p>"),
    "/nav": ("text/html", b"<html><body><nav>Home</nav></body></html>"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        media_type, body = ROUTES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.end_headers()  # no Content-Length: the size cap must hold while reading
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def settings(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")  # the server is on 127.0.0.1
    get_settings.cache_clear()  # the CLI reads the environment through the cached settings
    yield IndexSettings(corpus_dir=small_corpus, index_dir=tmp_path / "index", fetch_max_mb=1)
    get_settings.cache_clear()


def indexed_paths(settings):
    files = Searcher(settings.index_dir, FakeEmbedder()).files
    return {row["path"] for row in files.query("SELECT path FROM articles")}


def test_add_files_copies_checks_and_indexes(settings, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "filing.pdf").write_bytes(make_pdf([["Acme 10-K", "Revenue was $4.1 billion."]]))
    (inbox / "scan.pdf").write_bytes(make_pdf([[]]))
    (inbox / "notes.txt").write_text("Other notes\nMeta raised capex guidance.\n")
    report = add_files(sorted(inbox.iterdir()), settings, FakeEmbedder())
    assert [(a.path, a.title) for a in report.added] == [
        ("filing.pdf", "Acme 10-K"),
        ("notes-2.txt", "Other notes"),  # notes.txt was taken: the new file gets a free name
    ]
    assert len(report.skipped) == 1 and "no extractable text" in report.skipped[0]
    assert not (settings.corpus_dir / "scan.pdf").exists()
    assert {"filing.pdf", "notes-2.txt", "alibaba.md"} <= indexed_paths(settings)
    assert report.build.changes.added == 6  # first build of this index


def test_add_refuses_known_text_and_bad_files_before_copying(settings, tmp_path):
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    with pytest.raises(NothingAdded, match="no extractable text"):
        add_files([make_scan(tmp_path)], settings, FakeEmbedder())
    with pytest.raises(NothingAdded, match="unsupported file type"):
        add_files([tmp_path / "missing.docx"], settings, FakeEmbedder())
    copy = tmp_path / "copy.md"
    copy.write_text((settings.corpus_dir / "tencent.md").read_text())
    with pytest.raises(NothingAdded, match="same text as tencent.md already in the corpus"):
        add_files([copy], settings, FakeEmbedder())
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before
    assert not settings.index_dir.exists()  # nothing added, nothing built


def test_two_identical_new_files_are_added_once(settings, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Same note\nApple raised its dividend by 4%.\n")
    report = add_files([tmp_path / "a.txt", tmp_path / "b.txt"], settings, FakeEmbedder())
    assert [a.path for a in report.added] == ["a.txt"]
    assert report.skipped == ["b.txt: same text as a.txt, indexed once (kept a.txt)"]


def make_scan(folder):
    path = folder / "scan.pdf"
    path.write_bytes(make_pdf([[]]))
    return path


def test_add_url_saves_markdown_with_front_matter(settings, server):
    report = add_url(f"{server}/acme", settings, FakeEmbedder())
    [added] = report.added
    assert added.title == "Acme beats estimates as cloud demand grows"
    saved = (settings.corpus_dir / added.path).read_text()
    assert saved.startswith("---\ntitle: Acme beats estimates as cloud demand grows\n")
    assert (
        "url: https://news.example.com/acme-beats" in saved and "published: '2025-06-03'" in saved
    )
    assert "COOKIE-MARKER" not in saved and "revenue of $12.4 billion" in saved
    hits = Searcher(settings.index_dir, FakeEmbedder()).search("Acme revenue guidance", 1)
    assert hits[0].path == added.path and hits[0].source == "Example News"


def test_add_url_text_and_pdf(settings, server):
    assert add_url(f"{server}/note.txt", settings, FakeEmbedder()).added[0].title == "Baidu note"
    [pdf] = add_url(f"{server}/report.pdf", settings, FakeEmbedder()).added
    assert pdf.path.endswith(".pdf") and (settings.corpus_dir / pdf.path).is_file()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image.png", "it is image/png, not a web page"),
        ("/big", "larger than 1 MB"),
        ("/missing", "the server answered 404"),
        ("/nav", "no article text found"),
    ],
)
def test_add_url_refuses_bad_links_and_writes_nothing(settings, server, path, message):
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    with pytest.raises((FetchFailed, NothingAdded), match=message):
        add_url(f"{server}{path}", settings, FakeEmbedder())
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before


def test_fetch_refuses_other_schemes_and_times_out():
    with pytest.raises(FetchFailed, match="only http"):
        fetch("file:///etc/passwd", FetchLimits(timeout_s=1, max_bytes=1000))
    # The socket listens (the kernel accepts the connection) but nothing ever answers.
    silent = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    try:
        with pytest.raises(FetchFailed, match="timed out"):
            url = f"http://127.0.0.1:{silent.server_address[1]}/acme"
            fetch(url, FetchLimits(timeout_s=0.5, max_bytes=1000, allow_private=True))
    finally:
        silent.server_close()


def test_cli_add_prints_titles(settings, server, monkeypatch, capsys):
    monkeypatch.setattr(
        "index.embed.SentenceTransformerEmbedder", lambda device="cpu": FakeEmbedder()
    )
    dirs = ["--corpus", str(settings.corpus_dir), "--index-dir", str(settings.index_dir)]
    assert main(["add", f"{server}/note.txt", *dirs]) == 0
    out = capsys.readouterr()
    assert "Added baidu-note.md: Baidu note" in out.out
    assert "added 5, updated 0, removed 0, unchanged 0" in out.err


def test_a_file_named_like_a_readme_is_still_indexed(settings, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "README.md").write_text("# Nvidia notes\nNvidia data center revenue rose 56%.\n")
    report = add_files([inbox / "README.md"], settings, FakeEmbedder())
    assert [a.path for a in report.added] == ["readme-2.md"]
    assert "readme-2.md" in indexed_paths(settings)
