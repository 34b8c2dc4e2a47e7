"""A fake EC2 instance metadata service (IMDSv2) and container credentials endpoint on loopback.

IMDSv2: PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds) returns a token; the
role listing and the credentials need that token. Container: GET /creds needs the Authorization
header given with --container-token. Every credentials answer carries a new access key id
(ASIAFAKE0001, ASIAFAKE0002, ...) expiring --lifetime seconds later. GET /__stats reports counts.
"""
import argparse
import datetime
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "fake-imds-token"
ROLE = "gallery-role"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lifetime", type=int, default=3600)
    parser.add_argument("--container-token", default="container-secret-token")
    args = parser.parse_args()
    stats = {"token": 0, "roles": 0, "credentials": 0, "container": 0, "refused": 0}

    def credentials() -> bytes:
        stats["credentials"] += 1
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.lifetime)
        return json.dumps({
            "Code": "Success",
            "Type": "AWS-HMAC",
            "AccessKeyId": "ASIAFAKE%04d" % stats["credentials"],
            "SecretAccessKey": "fake-secret-%d" % stats["credentials"],
            "Token": "fake-session-token-%d" % stats["credentials"],
            "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self):
            if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                stats["token"] += 1
                self.answer(200, TOKEN.encode())
            else:
                stats["refused"] += 1
                self.answer(400, b"missing ttl")

        def do_GET(self):
            if self.path == "/__stats":
                return self.answer(200, json.dumps(stats).encode())
            if self.path == "/creds":
                if self.headers.get("Authorization") != args.container_token:
                    stats["refused"] += 1
                    return self.answer(403, b"bad token")
                stats["container"] += 1
                return self.answer(200, credentials())
            if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
                stats["refused"] += 1
                return self.answer(401, b"IMDSv2 token required")
            if self.path == "/latest/meta-data/iam/security-credentials/":
                stats["roles"] += 1
                return self.answer(200, ROLE.encode())
            if self.path == "/latest/meta-data/iam/security-credentials/" + ROLE:
                return self.answer(200, credentials())
            self.answer(404, b"not found")

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
