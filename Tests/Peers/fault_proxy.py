"""A fault-injecting HTTP proxy in front of an S3 endpoint (moto), on loopback.

The first --faults requests each get the next fault of --modes in turn (503 SlowDown, 500
InternalError, a connection reset, or a slow answer of --slow seconds); later requests are
forwarded. POST /__faults sets a new count (body: a number); POST /__outage with "on" or "off" starts
or ends an outage, during which every request gets the next fault; GET /__stats reports counts.
"""
import argparse
import json
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ERRORS = {
    "503": (503, "SlowDown", "Please reduce your request rate."),
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--faults", type=int, default=0)
    parser.add_argument("--modes", default="503,500,reset,slow")
    parser.add_argument("--slow", type=float, default=3.0)
    args = parser.parse_args()
    modes = args.modes.split(",")
    lock = threading.Lock()
    state = {"remaining": args.faults, "injected": 0, "forwarded": 0, "next": 0, "outage": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def reply(self, status: int, headers, body: bytes) -> None:
            self.send_response(status)
            length = str(len(body))
            for name, value in headers:
                if name.lower() == "content-length" and self.command == "HEAD":
                    length = value  # a HEAD answer describes the body it does not send
                elif name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", length)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def handle_any(self):
            payload = self.body()
            if self.path == "/__stats":
                return self.reply(200, [], json.dumps(state).encode())
            if self.path == "/__faults":
                with lock:
                    state["remaining"] = int(payload or b"0")
                return self.reply(200, [], b"ok")
            if self.path == "/__outage":
                with lock:
                    state["outage"] = 1 if payload.strip() == b"on" else 0
                return self.reply(200, [], b"ok")
            with lock:
                mode = None
                if state["outage"] or state["remaining"] > 0:
                    if not state["outage"]:
                        state["remaining"] -= 1
                    state["injected"] += 1
                    mode = modes[state["next"] % len(modes)]
                    state["next"] += 1
                else:
                    state["forwarded"] += 1
            if mode in ERRORS:
                status, code, message = ERRORS[mode]
                xml = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault</RequestId></Error>'
                return self.reply(status, [("Content-Type", "application/xml")], xml.encode())
            if mode == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                self.close_connection = True
                return
            if mode == "slow":
                time.sleep(args.slow)
            request = urllib.request.Request(args.target + self.path, data=payload or None, method=self.command)
            for name, value in self.headers.items():
                if name.lower() not in ("host", "content-length", "connection"):
                    request.add_header(name, value)
            request.add_header("Host", self.headers.get("Host"))
            try:
                with urllib.request.urlopen(request) as response:
                    self.reply(response.status, response.getheaders(), response.read())
            except urllib.error.HTTPError as error:
                self.reply(error.code, error.headers.items(), error.read())

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
