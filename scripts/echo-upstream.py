#!/usr/bin/env python3
"""The protected application of the deploy tests (scripts/deploy-test), on loopback.

Answers every request, whatever its method, with a JSON body describing what it received:
{"method", "path", "headers": [[name, value], ...], "body"}. A proxy's decision shows in
the headers it forwarded (the gateway's JWT, a client's forged copy), and whether a request
got through at all shows in the request counter. Two paths are the test's own, not counted:
GET /_upstream/count answers {"count": N}, GET /_upstream/last the last request's description
(for a HEAD, whose answer has no body).

Usage: echo-upstream.py PORT  (prints "listening on PORT" when ready)
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNT_PATH = "/_upstream/count"
LAST_PATH = "/_upstream/last"


class EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the proxies' upstream pools expect
    lock = threading.Lock()
    count = 0
    last = None

    def answer(self):
        if self.path in (COUNT_PATH, LAST_PATH):
            with EchoHandler.lock:
                self.reply(200, {"count": EchoHandler.count} if self.path == COUNT_PATH else EchoHandler.last)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = self.read_chunked()
        received = {
            "method": self.command,
            "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
        }
        with EchoHandler.lock:
            EchoHandler.count += 1
            EchoHandler.last = received
        self.reply(200, received)

    def read_chunked(self):
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return body
            body += self.rfile.read(size)
            self.rfile.readline()

    def reply(self, status, document):
        data = (json.dumps(document) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = answer

    def log_message(self, format, *args):  # quiet: the test prints what matters
        pass


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), EchoHandler)
    server.daemon_threads = True
    print(f"listening on {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
