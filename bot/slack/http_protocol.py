"""uvicorn's h11 protocol with a deadline for receiving each request.

An asyncio server holds thousands of idle connections for the price of a few kilobytes each,
so a slowloris (half a header, then silence) never delays anyone else. It still holds a file
descriptor, and uvicorn drops only connections idle *between* requests (its keep-alive timer).
This protocol also drops a connection whose request has not fully arrived within
`REQUEST_DEADLINE_S` of the connection opening or of the previous response: a header sent a
byte at a time, a body that stalls, or an unread body still trickling in after an early 4xx.
"""

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_DEADLINE_S = 10.0  # Slack sends a whole request in milliseconds
WAITING_FOR_CLIENT = (h11.IDLE, h11.SEND_BODY)


class DeadlineH11Protocol(H11Protocol):
    """H11Protocol that closes a connection still waiting for its request at the deadline."""

    deadline_s = REQUEST_DEADLINE_S
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._arm_deadline()  # the next request on this connection gets a deadline of its own
        super().on_response_complete()

    def _arm_deadline(self) -> None:
        self._cancel_deadline()
        self._deadline = self.loop.call_later(self.deadline_s, self._deadline_passed)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        if not self.transport.is_closing() and self.conn.their_state in WAITING_FOR_CLIENT:
            self.transport.close()  # connection_lost then tells a waiting app: http.disconnect


def with_deadline(seconds: float) -> type[DeadlineH11Protocol]:
    """The protocol class with another deadline (tests use a short one)."""
    return type("DeadlineH11Protocol", (DeadlineH11Protocol,), {"deadline_s": seconds})
