"""A real SMTP server on 127.0.0.1 collecting what the portal sends, and a real rq worker
run in burst mode to send it."""
from __future__ import annotations

import email
import email.policy
import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from ckan.lib import jobs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"].addresses[0].addr_spec == address]

    def recipients(self) -> list[str]:
        return sorted(m["To"].addresses[0].addr_spec for m in self.messages)

    @staticmethod
    def body(message: email.message.EmailMessage) -> str:
        return message.get_body().get_content()


def run_jobs() -> None:
    """Work off the default queue, as `ckan jobs worker --burst` does."""
    jobs.Worker(["default"]).work(burst=True)


@pytest.fixture
def fresh_queues(clean_queues, with_test_worker):
    """Empty queues, and no job left scheduled for retry by an earlier test."""
    registry = jobs.get_queue().scheduled_job_registry
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)


@pytest.fixture
def mailbox(ckan_config, monkeypatch, fresh_queues):
    box = Mailbox(free_port())
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{box.port}")
    box.start()
    yield box
    box.stop()
