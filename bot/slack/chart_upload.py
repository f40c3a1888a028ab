"""Put an answer's chart into Slack with the files upload API (v2: get an upload URL, send the
PNG there, complete the upload into a channel's thread, or privately for an image block)."""

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.answer.chart import ChartError, render_chart
from bot.answer.compose import Answer
from bot.slack.table_blocks import chart_alt_text

logger = logging.getLogger(__name__)
FILENAME = "chart.png"


def upload_chart(
    client, answer: Answer, channel: str | None = None, thread_ts: str | None = None
) -> str | None:
    """Upload the answer's chart; with no `channel` the file stays private to the bot (to be
    shown in an image block). Returns the file id, or None when there is no chart or it failed."""
    if not answer.series:
        return None
    try:
        png = render_chart(answer)
    except (ChartError, ValueError, OSError):
        logger.exception("drawing the chart for %r failed", answer.question)
        return None
    sources = ", ".join(f"[{n}]" for n in sorted({p.citation for p in answer.series}))
    share = {"channel": channel, "thread_ts": thread_ts} if channel else {}
    if channel:
        share["initial_comment"] = f"Chart of the figures above; sources {sources} in the answer."
    try:
        response = client.files_upload_v2(
            file=png,
            filename=FILENAME,
            title=answer.series[0].measure or "Chart",
            alt_txt=chart_alt_text(answer.series),
            **share,
        )
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("uploading the chart to %s failed; the answer stands without it", channel)
        return None
    file = response.get("file") or (response.get("files") or [{}])[0]
    return file.get("id")
