# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for a provider's API on 127.0.0.1, for the connectors' tests: subclasses answer each
request in `answer`; every request is recorded."""

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


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


class LoopbackApi:
    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        # Seconds each request takes before its answer, as a distant API's would; the requests
        # being answered at once, and the most there were.
        self.latency = 0.0
        self.in_flight = 0
        self.most_in_flight = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as the providers' APIs speak it: a client's session reuses its connection
            # (without Nagle's algorithm, which would hold each small answer back for the ACK).
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *_args):
                pass

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
                time.sleep(api.latency)
                with api.lock:
                    api.in_flight -= 1
                    api.requests.append(recorded)
                    status, content_type, body = api.answer(recorded)
                body = body if isinstance(body, bytes) else body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, request):
        """(status, content type, body) for a recorded request."""
        raise NotImplementedError

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, path):
        return [request for request in self.requests if request.path == path]
