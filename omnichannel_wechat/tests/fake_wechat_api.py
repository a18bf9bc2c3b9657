# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for api.weixin.qq.com on 127.0.0.1: answers /cgi-bin/token and
/cgi-bin/message/custom/send as WeChat documents them, records every request, and can be told to
answer the next calls with given errors."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeWechatApi:
    def __init__(self):
        self.requests = []
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.tokens_issued = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def _answer(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self, payload):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                api.requests.append({"path": url.path, "query": query, "json": payload})
                for index, (path, errcode, errmsg) in enumerate(api.queued_errors):
                    if path == url.path:
                        del api.queued_errors[index]
                        return self._answer({"errcode": errcode, "errmsg": errmsg})
                if url.path == "/cgi-bin/token":
                    if query.get("secret") != "app-secret":
                        return self._answer({"errcode": 40125, "errmsg": "invalid appsecret"})
                    api.tokens_issued += 1
                    return self._answer(
                        {"access_token": f"TOKEN-{api.tokens_issued}", "expires_in": 7200}
                    )
                if url.path == "/cgi-bin/message/custom/send":
                    if query.get("access_token") != f"TOKEN-{api.tokens_issued}":
                        return self._answer({"errcode": 40001, "errmsg": "invalid credential"})
                    return self._answer({"errcode": 0, "errmsg": "ok"})
                return self._answer({"errcode": 404, "errmsg": "not found"})

            def do_GET(self):
                self._handle(None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(json.loads(self.rfile.read(length) or b"null"))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, path):
        return [request for request in self.requests if request["path"] == path]
