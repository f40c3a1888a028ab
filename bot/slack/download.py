"""Download a file shared in Slack with the bot token, capped in size and sent only to Slack.

Slack serves `url_private_download` only with `Authorization: Bearer <bot token>`; without the
`files:read` scope it answers with its sign-in page instead of the file. The token is sent only
to Slack's own hosts (or the configured API host, which tests point at a local stand-in), and a
redirect elsewhere is refused rather than followed with the token. The fetch is the one
`add URL` uses: one deadline, a size cap, and public addresses only unless
INVESTOR_QA_FETCH_ALLOW_PRIVATE is set.
"""

from urllib.parse import urlsplit

from bot.slack.errors import DownloadFailed
from index.errors import FetchFailed
from index.fetch import FetchLimits, fetch

SLACK_DOMAIN = "slack.com"
HTML_SUFFIXES = (".html", ".htm")


def token_may_go_to(url: str, api_url: str) -> bool:
    """True for https URLs on slack.com and for the configured Web API host itself."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = parts.hostname or ""
    on_slack = parts.scheme == "https" and (
        host == SLACK_DOMAIN or host.endswith("." + SLACK_DOMAIN)
    )
    return on_slack or (bool(host) and (parts.scheme, host) == (api.scheme, api.hostname))


def download(
    url: str,
    name: str,
    token: str,
    api_url: str,
    max_bytes: int,
    timeout_s: float = 30.0,
    allow_private: bool = False,
) -> bytes:
    """The bytes of the shared file `name` at `url`, or DownloadFailed with a message for users."""
    if not token_may_go_to(url, api_url):
        raise DownloadFailed(f"I couldn't download {name}: it is not stored on Slack.")
    limits = FetchLimits(timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private)
    try:
        fetched = fetch(
            url,
            limits,
            headers={"Authorization": f"Bearer {token}"},
            may_redirect_to=lambda target: token_may_go_to(target, api_url),
        )
    except FetchFailed as exc:
        if exc.kind == "too_large":
            raise DownloadFailed(too_big(name, max_bytes)) from exc
        answered = f"it answered {exc.status}" if exc.status else "no answer"
        raise DownloadFailed(
            f"I couldn't download {name} from Slack ({answered}). Please try again."
        ) from exc
    if fetched.media_type == "text/html" and not name.lower().endswith(HTML_SUFFIXES):
        # Slack's sign-in page: the token lacks files:read, or the file is not shared with us.
        raise DownloadFailed(
            f"Slack didn't let me download {name}; the app may need the files:read scope."
        )
    return fetched.body


def too_big(name: str, max_bytes: int) -> str:
    """The message for a file over the upload cap."""
    return (
        f"{name} is larger than {max_bytes / 1e6:g} MB, the most I accept "
        "(INVESTOR_QA_UPLOAD_MAX_MB)."
    )
