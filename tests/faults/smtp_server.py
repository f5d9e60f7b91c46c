"""A real SMTP server in the test process (aiosmtpd, on a thread) whose answers the test scripts: each
message that reaches RCPT takes the next outcome of `script` — refuse it for now (4xx), stall past the
client's timeout before accepting, accept slowly, or accept — and every accepted message is kept with its
Message-ID, so a test can count what went out and how often."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes
from enum import Enum

from aiosmtpd.controller import Controller


class Outcome(Enum):
    ACCEPT = "accept"
    REFUSE = "refuse"  # 451 at RCPT: a temporary refusal (greylisting, a busy server)
    REFUSE_FOR_GOOD = "refuse for good"  # 550 at RCPT: a permanent refusal (no such mailbox)
    STALL = "stall"  # DATA answered only after `stall_seconds`, past the client's EMAIL_TIMEOUT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScriptedHandler:
    def __init__(self) -> None:
        self.script: list[Outcome] = []
        self.delay = 0.0  # seconds every accepted message takes (a slow server keeps a batch in flight)
        self.stall_seconds = 3.0
        self.received: list[str] = []  # Message-IDs, in order, repeats included
        self.refused = 0
        self.stalled = 0
        self.outcomes: dict[int, Outcome] = {}  # per SMTP session
        self._lock = threading.Lock()

    def _next(self) -> Outcome:
        with self._lock:
            return self.script.pop(0) if self.script else Outcome.ACCEPT

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        outcome = self._next()
        self.outcomes[id(session)] = outcome
        if outcome is Outcome.REFUSE:
            self.refused += 1
            return "451 4.3.2 Try again later (fault test)"
        if outcome is Outcome.REFUSE_FOR_GOOD:
            self.refused += 1
            return "550 5.1.1 No such mailbox (fault test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        outcome = self.outcomes.pop(id(session), Outcome.ACCEPT)
        message_id = message_from_bytes(envelope.content)["Message-ID"]
        if outcome is Outcome.STALL:
            self.stalled += 1
            await asyncio.sleep(self.stall_seconds)  # the client has given up and hung up: dropped
        with self._lock:
            self.received.append(message_id)
        if self.delay:
            # Kept before answering, as a mail server queues what it received in full: a client that
            # dies now never hears the 250, and sends the message again.
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def counts(self) -> Counter:
        with self._lock:
            return Counter(self.received)


class SMTPServer:
    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def wait_for(self, count: int, *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while len(self.handler.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
