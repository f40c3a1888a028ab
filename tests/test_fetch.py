"""Fetching links: public addresses only, every redirect re-checked, one deadline per fetch."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import netcheck
from index.errors import FetchFailed
from index.fetch import FetchLimits, fetch
from index.ingest import add_url
from index.settings import IndexSettings
from index.web_article import decode_page
from tests.helpers import FakeEmbedder

PAGE = (
    "<html><head><title>Kappa Foods lifts its outlook</title></head><body><article>"
    "<p>Kappa Foods raised its full-year sales outlook to 7% growth after a strong quarter "
    "in its snacks business, the company said on Tuesday.</p></article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Host")))
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site(server):
    Handler.routes, Handler.seen = {}, []
    return server


ALLOW = FetchLimits(timeout_s=5, max_bytes=100_000, allow_private=True)
PUBLIC_ONLY = FetchLimits(timeout_s=5, max_bytes=100_000)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/page",
        "http://localhost:{port}/page",
        "http://2130706433:{port}/page",  # 127.0.0.1 as one number
        "http://[::1]:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://[::ffff:127.0.0.1]:{port}/page",
        "http://0.0.0.0:{port}/page",
    ],
)
def test_local_private_and_link_local_addresses_are_refused_by_default(site, url):
    Handler.routes["/page"] = (200, {"Content-Type": "text/html"}, PAGE.encode())
    port = site.rsplit(":", 1)[1]
    with pytest.raises(FetchFailed, match="local or private address") as caught:
        fetch(url.format(port=port), PUBLIC_ONLY)
    assert caught.value.kind == "refused" and "INVESTOR_QA_FETCH_ALLOW_PRIVATE" in str(caught.value)
    assert Handler.seen == []  # refused before connecting


def test_the_setting_allows_private_addresses(site):
    Handler.routes["/page"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode())
    fetched = fetch(f"{site}/page", ALLOW)
    assert fetched.body == PAGE.encode() and fetched.media_type == "text/html"
    assert fetched.charset == "utf-8" and fetched.url == f"{site}/page"


@pytest.fixture
def only_127_0_0_1_is_public(monkeypatch):
    """Pretend 127.0.0.1 is a public address, so a redirect from it to a private one is seen."""
    real = netcheck.is_public
    monkeypatch.setattr(netcheck, "is_public", lambda ip: ip == "127.0.0.1" or real(ip))


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/page",
        "file:///etc/passwd",
        "ftp://127.0.0.1/page",
        "gopher://127.0.0.1:{port}/",
    ],
)
def test_every_redirect_hop_is_checked_again(site, only_127_0_0_1_is_public, location):
    port = site.rsplit(":", 1)[1]
    Handler.routes["/hop1"] = (302, {"Location": "/hop2"}, b"")
    Handler.routes["/hop2"] = (301, {"Location": location.format(port=port)}, b"")
    with pytest.raises(FetchFailed) as caught:
        fetch(f"{site}/hop1", PUBLIC_ONLY)
    assert caught.value.kind == "refused"
    assert [path for path, _ in Handler.seen] == ["/hop1", "/hop2"]


def test_a_redirect_to_a_public_address_is_followed_with_the_final_url(
    site, only_127_0_0_1_is_public
):
    Handler.routes["/old"] = (308, {"Location": "/new"}, b"")
    Handler.routes["/new"] = (200, {"Content-Type": "text/plain"}, b"moved here")
    fetched = fetch(f"{site}/old", PUBLIC_ONLY)
    assert fetched.body == b"moved here" and fetched.url == f"{site}/new"


def test_a_redirect_loop_stops(site):
    Handler.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        fetch(f"{site}/loop", ALLOW)


def test_the_address_checked_is_the_address_connected_to(site, monkeypatch):
    """DNS rebinding: a name that resolves to one address, then another, is looked up once."""
    port = int(site.rsplit(":", 1)[1])
    answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])
    lookups = []

    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host[0].isdigit():  # an address literal (create_connection looks those up too)
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(netcheck, "is_public", lambda ip: ip == "127.0.0.1")
    Handler.routes["/page"] = (200, {"Content-Type": "text/plain"}, b"checked")
    assert fetch(f"http://news.example:{port}/page", PUBLIC_ONLY).body == b"checked"
    assert lookups == ["news.example"]
    assert Handler.seen == [("/page", f"news.example:{port}")]  # the name still goes as Host


class Dripping(BaseHTTPRequestHandler):
    """Answers a byte at a time, each well within any per-read timeout."""

    def do_GET(self):
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 400\r\n\r\n"
        )
        self.wfile.flush()
        for _ in range(400):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)

    def log_message(self, *args):
        pass


def test_a_server_that_drips_is_cut_off_at_the_total_deadline():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Dripping)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        with pytest.raises(FetchFailed, match="timed out") as caught:
            fetch(
                f"http://127.0.0.1:{server.server_address[1]}/",
                ALLOW.model_copy(update={"timeout_s": 1}),
            )
        assert caught.value.kind == "timeout"
        assert time.monotonic() - started < 4  # the drip would take 20 s
    finally:
        server.shutdown()
        server.server_close()


def test_an_unknown_charset_is_a_warning_and_the_page_is_added(
    site, small_corpus, tmp_path, monkeypatch
):
    monkeypatch.setenv("INVESTOR_QA_FETCH_ALLOW_PRIVATE", "true")
    headers = {"Content-Type": "text/html; charset=x-no-such-charset"}
    Handler.routes["/page"] = (200, headers, PAGE.encode())
    settings = IndexSettings(corpus_dir=small_corpus, index_dir=tmp_path / "index")
    report = add_url(f"{site}/page", settings, FakeEmbedder())
    assert [a.title for a in report.added] == ["Kappa Foods lifts its outlook"]
    (warning,) = report.warnings
    assert "unknown charset 'x-no-such-charset', read as utf-8" in warning


@pytest.mark.parametrize("charset", ["base64", "zlib", "rot13", "x-\u00e9"])
def test_a_charset_that_is_no_text_encoding_falls_back_with_a_warning(charset):
    text, warnings = decode_page("http://x/", "Café 7%".encode(), charset)
    assert text == "Café 7%" and "unknown charset" in warnings[0]
