"""Download a file shared in Slack with the bot token, capped in size and sent only to Slack.

Slack serves `url_private_download` only with `Authorization: Bearer <bot token>`; without the
`files:read` scope it answers with its sign-in page instead of the file. The token is sent only
to Slack's own hosts (or the configured API host, which tests point at a local stand-in), and a
redirect elsewhere is refused rather than followed with the token.
"""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from bot.slack.errors import DownloadFailed

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
    url: str, name: str, token: str, api_url: str, max_bytes: int, timeout_s: float = 30.0
) -> bytes:
    """The bytes of the shared file `name` at `url`, or DownloadFailed with a message for users."""
    if not token_may_go_to(url, api_url):
        raise DownloadFailed(f"I couldn't download {name}: it is not stored on Slack.")
    opener = urllib.request.build_opener(_SlackOnlyRedirects(api_url))
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with opener.open(request, timeout=timeout_s) as response:
            body = response.read(max_bytes + 1)
            media_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise DownloadFailed(
            f"I couldn't download {name} from Slack (it answered {exc.code}). Please try again."
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadFailed(
            f"I couldn't download {name} from Slack (no answer). Please try again."
        ) from exc
    if len(body) > max_bytes:
        raise DownloadFailed(too_big(name, max_bytes))
    if media_type == "text/html" and not name.lower().endswith(HTML_SUFFIXES):
        # Slack's sign-in page: the token lacks files:read, or the file is not shared with us.
        raise DownloadFailed(
            f"Slack didn't let me download {name}; the app may need the files:read scope."
        )
    return body


def too_big(name: str, max_bytes: int) -> str:
    """The message for a file over the upload cap."""
    return (
        f"{name} is larger than {max_bytes / 1e6:g} MB, the most I accept "
        "(INVESTOR_QA_UPLOAD_MAX_MB)."
    )


class _SlackOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, api_url: str):
        self.api_url = api_url

    def redirect_request(  # urllib's own signature
        self, req, fp, code, msg, headers, newurl
    ) -> urllib.request.Request | None:
        if not token_may_go_to(newurl, self.api_url):
            raise urllib.error.HTTPError(newurl, code, "redirected away from Slack", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
