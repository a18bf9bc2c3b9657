# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for a provider's API on 127.0.0.1, for the connectors' tests: subclasses answer each
request in `answer`; every request is recorded. It can be down (HTTP 503), hang (accept requests
and answer none until released, for a bounded time), and let a test act between the moment an
answer is ready and the moment it is sent (what the provider does meanwhile)."""

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.tests import common as test_common

# The longest a held request waits for its release: a test's clients give up long before.
HOLD_LIMIT = 60


def closed_url():
    """The URL of a 127.0.0.1 port nothing listens on: a connection to it is refused, as to a
    provider's API that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes

    @property
    def json(self):
        return json.loads(self.body or b"null")


class _LoopbackServer(ThreadingHTTPServer):
    # A platform takes many connections at once: the listen backlog of a bulk send's calls in
    # flight (32 for Twilio), not socketserver's default of 5, which drops some under load.
    request_queue_size = 128


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *_args):
        pass

    def handle(self):
        try:
            return super().handle()
        except ConnectionResetError:
            # The client dropped the connection (a download it stopped reading).
            self.close_connection = True


class LoopbackApi:
    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        # Seconds each request takes before its answer, as a distant API's would; the requests
        # being answered at once, and the most there were.
        self.latency = 0.0
        self.in_flight = 0
        self.most_in_flight = 0
        # Answer the next N requests with 503, as a provider that is down.
        self.down_for = 0
        # While set (see `hold`), requests to these paths (None: to any) wait for `release`.
        self._held_paths = None
        self._released = threading.Event()
        self.held = []  # the requests that arrived while held, answered or not
        # Called with (request, status, body) once an answer is ready, just before it is sent.
        self.before_reply = None
        api = self

        class Handler(_QuietHandler):
            # Keep-alive, as the providers' APIs speak it: a client's session reuses its connection
            # (without Nagle's algorithm, which would hold each small answer back for the ACK).
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _handle(self, method):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                recorded = RecordedRequest(
                    method,
                    url.path,
                    {key: values[0] for key, values in parse_qs(url.query).items()},
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                with api.lock:
                    api.in_flight += 1
                    api.most_in_flight = max(api.most_in_flight, api.in_flight)
                    held = api._holds(url.path)
                    if held:
                        api.held.append(recorded)
                if held:
                    api._released.wait(HOLD_LIMIT)
                time.sleep(api.latency)
                with api.lock:
                    api.in_flight -= 1
                    api.requests.append(recorded)
                    headers = {}
                    if api.down_for:
                        api.down_for -= 1
                        status, content_type, body = 503, "text/plain", "Service Unavailable"
                    else:
                        # An answer may add headers (a file's Content-disposition).
                        status, content_type, body, *extra = api.answer(recorded)
                        headers = extra[0] if extra else {}
                body = body if isinstance(body, bytes) else body.encode()
                if api.before_reply:
                    api.before_reply(recorded, status, body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    # The client gave up waiting (its timeout) and closed the connection.
                    self.close_connection = True

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = _LoopbackServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, request):
        """(status, content type, body), and optionally a dict of headers, for a recorded
        request."""
        raise NotImplementedError

    def hold(self, *paths):
        """Hang: accept the requests to `paths` (any, without) and answer none until `release`."""
        with self.lock:
            self._released.clear()
            self._held_paths = set(paths)

    def release(self):
        """Answer the held requests (their clients may have gone) and hold no more."""
        with self.lock:
            self._held_paths = None
            self._released.set()

    def _holds(self, path):
        return self._held_paths is not None and (not self._held_paths or path in self._held_paths)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def calls(self, path):
        return [request for request in self.requests if request.path == path]


class LoopbackTimeoutsMixin:
    """For test cases that check a client's timeout against these stand-ins: requests to
    127.0.0.1 keep the timeout the code under test gives them (Odoo's tests raise every timeout
    under 10 seconds to 10 seconds), so that a test configures a short one."""

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        if urlparse(request.url).hostname == "127.0.0.1":
            return test_common._super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)
