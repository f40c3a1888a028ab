"""Fetch one web page for `investor-qa add URL`: http(s) only, with a timeout, a size cap
and a content-type check, so a bad link fails with one clear line and nothing half-written."""

import urllib.error
import urllib.request
from urllib.parse import urlparse

from pydantic import BaseModel

from index.errors import FetchFailed

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
PDF_TYPES = {"application/pdf"}
USER_AGENT = "investor-qa (article ingestion)"


class Fetched(BaseModel):
    """A fetched resource: the final URL, its media type, charset and bytes."""

    url: str
    media_type: str
    charset: str | None
    body: bytes


def fetch_url(url: str, timeout_s: float, max_bytes: int) -> Fetched:
    """GET `url`, or FetchFailed with a message fit for the user."""
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchFailed(f"cannot fetch {url}: only http:// and https:// links are supported")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            media_type = response.headers.get_content_type()
            if media_type not in HTML_TYPES | TEXT_TYPES | PDF_TYPES:
                raise FetchFailed(
                    f"cannot add {url}: it is {media_type}, not a web page, text or PDF"
                )
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchFailed(_too_big(url, max_bytes))
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchFailed(_too_big(url, max_bytes))
            return Fetched(
                url=response.geturl(),
                media_type=media_type,
                charset=response.headers.get_content_charset(),
                body=body,
            )
    except urllib.error.HTTPError as exc:
        raise FetchFailed(
            f"cannot fetch {url}: the server answered {exc.code} {exc.reason}"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchFailed(f"cannot fetch {url}: {reason}") from exc


def _too_big(url: str, max_bytes: int) -> str:
    return f"cannot add {url}: larger than {max_bytes / 1e6:.0f} MB (INVESTOR_QA_FETCH_MAX_MB)"
