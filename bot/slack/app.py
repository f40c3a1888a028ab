"""Build the bolt App: Web API client with retries, shared state, dedupe, and every listener."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.slack import listeners
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
    app = App(
        client=create_web_client(settings),
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
        process_before_response=False,  # ack first, answer on a worker thread
        # bolt's default of 5 threads runs acks and answers alike: a burst of questions waiting
        # for the model would hold all 5 and delay every ack behind them.
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
        name="investor-qa",
    )

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
    return app
