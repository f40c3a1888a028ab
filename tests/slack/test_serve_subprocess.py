"""`investor-qa serve --http` as a real process with the real model, against the Slack stand-in."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.helpers import ROOT
from tests.slack.conftest import FORM, SECRET
from tests.slack.payloads import command_body, send, signed_headers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError("serve never became healthy")


@pytest.mark.integration
def test_serve_http_builds_the_index_loads_once_and_answers(small_corpus, tmp_path, slack_api):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api.api_url,
        "INVESTOR_QA_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("SLACK_APP_TOKEN", None)
    args = ["serve", "--http", "--port", str(port), "--corpus", str(small_corpus)]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args, "--index-dir", str(tmp_path / "index")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_healthy(url, process) == {"status": "ready"}
        key = uuid.uuid4().hex
        body = command_body("How much will Alibaba invest in AI?", slack_api.response_url(key))
        ack = send(url + "/slack/events", body, FORM, signed_headers(SECRET, body))
        assert ack.status == 200
        (reply,) = slack_api.wait_for("response_url", timeout=60)
        assert (
            "380 billion" in reply.params["text"] and reply.params["response_type"] == "ephemeral"
        )
        assert (tmp_path / "data" / "state.sqlite").is_file()
    finally:
        process.terminate()
        process.wait(timeout=30)
