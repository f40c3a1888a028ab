"""A minimal local WebSocket server playing Slack's Socket Mode side: hello, envelopes, acks."""

import base64
import hashlib
import json
import socket
import struct
import threading
import time

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class SocketModeStandIn:
    """Accepts one client, says hello, sends envelopes and records the acks it gets back."""

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()
        self.acks: list[dict] = []
        self._connected = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def close(self) -> None:
        for sock in (self._conn, self._listener):
            if sock:
                sock.close()

    def send_envelope(self, envelope: dict) -> None:
        """Deliver one envelope (events_api, slash_commands, interactive) to the client."""
        if not self._connected.wait(15):
            raise AssertionError("the bot never connected over Socket Mode")
        self._send(TEXT, json.dumps(envelope).encode())

    def wait_for_ack(self, envelope_id: str, timeout: float = 15.0) -> dict:
        """The client's acknowledgement of `envelope_id`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                if time.monotonic() > deadline:
                    raise AssertionError(f"no ack for {envelope_id}: {self.acks}")
                self._cond.wait(0.1)

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        self._conn = conn
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(1024)
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        self._send(TEXT, json.dumps({"type": "hello", "num_connections": 1}).encode())
        self._connected.set()
        self._read_frames(conn)

    def _send(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self._send_lock:
            self._conn.sendall(header + payload)

    def _read_frames(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while True:
                head = reader.read(2)
                if len(head) < 2:
                    return
                opcode, size = head[0] & 0x0F, head[1] & 0x7F
                if size == 126:
                    size = struct.unpack("!H", reader.read(2))[0]
                elif size == 127:
                    size = struct.unpack("!Q", reader.read(8))[0]
                mask = reader.read(4) if head[1] & 0x80 else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(reader.read(size)))
                if opcode == PING:
                    self._send(PONG, data)
                elif opcode == CLOSE:
                    return
                elif opcode == TEXT:
                    with self._cond:
                        self.acks.append(json.loads(data))
                        self._cond.notify_all()
        except (OSError, ValueError):
            return
