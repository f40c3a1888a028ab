"""Build the bolt App: Web API client with retries, shared state, dedupe, and every listener."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.slack import listeners
from bot.slack.errors import SlackUnreachable
from bot.slack.service import QAService
from bot.slack.settings import BotSettings

logger = logging.getLogger(__name__)
LISTENER_THREADS = 64


def create_web_client(settings: BotSettings) -> WebClient:
    """A WebClient for SLACK_API_URL that retries 429s (after Retry-After) and connection errors."""
    return WebClient(
        token=settings.secret("slack_bot_token"),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(settings: BotSettings, qa: QAService, socket_mode: bool = False) -> App:
    """A bolt App answering from `qa`; HTTP mode verifies Slack's request signatures."""
    if not socket_mode:
        settings.require("slack_signing_secret")
    secret = settings.slack_signing_secret
    client = create_web_client(settings)
    try:
        # bolt checks the token with auth.test here; say so plainly when that fails.
        app = _bolt_app(client, secret.get_secret_value() if secret else None, socket_mode)
    except (BoltError, SlackApiError) as exc:  # bolt wraps a failed auth.test in BoltError
        raise SlackUnreachable(
            "Slack did not accept SLACK_BOT_TOKEN (auth.test failed); check the token, that the "
            "app is installed in the workspace, and SLACK_API_URL"
        ) from exc
    except (SlackClientError, OSError) as exc:
        raise SlackUnreachable(
            f"could not reach Slack's Web API at {settings.slack_api_url} "
            f"({type(exc).__name__}); check SLACK_API_URL and the network"
        ) from exc
    _register(app, qa)
    return app


def _bolt_app(client: WebClient, signing_secret: str | None, socket_mode: bool) -> App:
    return App(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=not socket_mode,
        process_before_response=False,  # ack first, answer on a worker thread
        # bolt's default of 5 threads runs acks and answers alike: a burst of questions waiting
        # for the model would hold all 5 and delay every ack behind them.
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
        name="investor-qa",
    )


def _register(app: App, qa: QAService) -> None:
    """The dedupe middleware, the error logger and every listener."""

    @app.middleware
    def drop_duplicates(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse:
        # Slack redelivers an event (X-Slack-Retry-Num) when our ack was late or lost; the
        # event_id stays the same, so a seen id is acked again and nothing runs twice.
        event_id = body.get("event_id")
        if event_id and not qa.seen.claim(f"event:{event_id}"):
            logger.info("duplicate delivery of %s dropped", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.error
    def log_unhandled(error: Exception, body: dict) -> None:
        logger.error("unhandled error in a listener", exc_info=error)

    listeners.register(app, qa)
