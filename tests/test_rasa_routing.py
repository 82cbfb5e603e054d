"""The gateway's routing over several Rasa processes: a fixed home per conversation, fail-over in the
conversation's own order, and back home when the process returns. Real HTTP against small local servers
that answer like Rasa's gateway channel."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.rasa_client import RasaClient, RasaTimedOut, RasaUnavailable, parse_urls


class _FakeRasa(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.senders.append(body["sender"])  # type: ignore[attr-defined]
        payload = json.dumps([{"recipient_id": body["sender"], "text": self.server.name}]).encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def _serve(name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeRasa)
    server.name, server.senders = name, []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def two_processes() -> Iterator[tuple[ThreadingHTTPServer, ThreadingHTTPServer]]:
    servers = (_serve("a"), _serve("b"))
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_each_conversation_keeps_one_home_and_the_homes_are_spread(two_processes) -> None:
    a, b = two_processes
    client = RasaClient([_url(a), _url(b)])
    answered = {c: {client.send(c, "hei", {})[0]["text"] for _ in range(3)}
                for c in (f"conversation-{n}" for n in range(40))}
    assert all(len(names) == 1 for names in answered.values())  # always the same process
    spread = Counter(next(iter(names)) for names in answered.values())
    assert spread["a"] >= 10 and spread["b"] >= 10, spread


def test_a_dead_process_s_conversations_go_to_the_next_and_the_others_stay(two_processes) -> None:
    a, b = two_processes
    client = RasaClient([_url(a), _url(b)], failures_to_open=1, reset_timeout_s=60)
    homes = {f"c{n}": client.replicas_for(f"c{n}")[0].url for n in range(30)}
    a.shutdown()
    a.server_close()
    for conversation in homes:
        assert client.send(conversation, "hei", {})[0]["text"] == "b"
    assert not client.circuit_open  # b still answers
    # Only the dead process's conversations moved: b's own were never elsewhere.
    assert Counter(b.senders)[next(c for c, home in homes.items() if home == _url(b))] == 1


def test_every_process_down_is_rasa_unavailable() -> None:
    ports = []
    for _ in range(2):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
    client = RasaClient([f"http://127.0.0.1:{port}" for port in ports], timeout_s=1, failures_to_open=1)
    with pytest.raises(RasaUnavailable):
        client.send("c", "hei", {})
    assert client.circuit_open


def test_rasa_url_lists_are_checked() -> None:
    assert parse_urls(" http://a:5005/ , http://b:5005") == ["http://a:5005", "http://b:5005"]
    with pytest.raises(ValueError, match="twice"):
        parse_urls("http://a:5005,http://a:5005")
    with pytest.raises(ValueError, match="no Rasa"):
        parse_urls(" , ")


def test_a_slow_process_is_not_bypassed_so_no_message_is_handled_twice() -> None:
    slow = socket.socket()  # accepts the connection (the backlog) and never answers
    slow.bind(("127.0.0.1", 0))
    slow.listen(8)
    fast = _serve("fast")
    try:
        urls = [f"http://127.0.0.1:{slow.getsockname()[1]}", _url(fast)]
        client = RasaClient(urls, timeout_s=0.5)
        conversation = next(f"c{n}" for n in range(100) if client.replicas_for(f"c{n}")[0].url == urls[0])
        with pytest.raises(RasaTimedOut):
            client.send(conversation, "hei", {})
        assert fast.senders == []  # not handed to the next process as well
    finally:
        slow.close()
        fast.shutdown()
        fast.server_close()
