"""Figures for issue 12, items 1 and 2: the service under two attacks on `POST /bucket`, with the CPU
seconds and peak RSS the service spent and the latency of `/healthz` (the HTTP ceiling's anchor)
sampled 20 times a second through each attack and at rest.

1. delimiters: 4 clients at once, each posting a 2 MB body of `--a` repeated (boundary `a`), each
   given at most 60 s: the multipart pre-scan used to be quadratic on it, on the request path.
2. uploads: 200 clients at once (each its own address, named in X-Forwarded-For by the trusted
   proxy 127.0.0.1), each posting a 20 MiB upload on a valid presigned form: the body used to be
   collected in memory (and copied twice) with no bound on how many arrived together.

Runs each `gallery` binary given (e.g. one built from the commit before the fix and the current
one) on 127.0.0.1 against an embedded bucket, and stops what it started by PID.

    swift build -c release --product gallery
    .build/peers-venv/bin/python Benchmarks/attack/run.py --gallery after=.build/release/gallery
"""
import argparse
import concurrent.futures
import http.client
import importlib.util
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("e2e", os.path.join(ROOT, "Benchmarks/end-to-end/run.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


PROBE = """
import http.client, json, sys, time
port, samples = int(sys.argv[1]), []
try:
    while True:
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            samples.append((time.perf_counter() - started) * 1000)
        except OSError:
            samples.append(None)
        time.sleep(0.05)
except KeyboardInterrupt:
    print(json.dumps(samples))
"""


class HealthProbe:
    """GET /healthz every 50 ms on a fresh connection, from a process of its own (the attacking
    threads share this one's interpreter lock); the latencies in ms (None: no answer within 5 s)."""

    def __init__(self, port):
        self.process = subprocess.Popen([os.sys.executable, "-c", PROBE, str(port)], stdout=subprocess.PIPE)

    def stop(self):
        self.process.send_signal(2)
        self.samples = json.loads(self.process.communicate(timeout=30)[0])

    def summary(self):
        answered = sorted(s for s in self.samples if s is not None)
        if not answered:
            return {"samples": len(self.samples), "unanswered": len(self.samples)}
        return {"samples": len(self.samples), "unanswered": len(self.samples) - len(answered),
                "p50_ms": round(statistics.median(answered), 1),
                "p99_ms": round(answered[min(len(answered) - 1, int(len(answered) * 0.99))], 1),
                "max_ms": round(answered[-1], 1)}


def post(port, body, content_type, timeout, client=0):
    """POST /bucket as client number `client` (its own address, through the trusted proxy header);
    the status, or the error's name."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("POST", "/bucket", body=body, headers={
            "Content-Type": content_type, "X-Forwarded-For": f"10.0.{client // 250}.{client % 250 + 1}"})
        status = connection.getresponse().status
        connection.close()
        return str(status)
    except Exception as error:  # a refused or cut connection is an outcome to count, not a failure
        return type(error).__name__


class Server:
    def __init__(self, gallery):
        self.dir = tempfile.mkdtemp(prefix="gallery-attack-")
        self.port = e2e.free_port()
        self.service = f"http://127.0.0.1:{self.port}"
        # A binary from before the per-client cap has no flag for it (and no cap).
        help_text = subprocess.run([gallery, "serve", "--help"], capture_output=True).stdout
        extra = ["--max-pending-per-client", "0"] if b"--max-pending-per-client" in help_text else []
        self.process = subprocess.Popen(
            [gallery, "serve"] + extra + ["--local", os.path.join(self.dir, "bucket"), "--jobs", os.path.join(self.dir, "jobs"),
             "--site", os.path.join(ROOT, "site"), "--port", str(self.port), "--log-level", "critical",
             "--rate-limit", "0", "--poll-interval", "0", "--trusted-proxy", "127.0.0.1"])
        e2e.wait_for(self.service + "/healthz")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure(server, name, clients, work):
    """Runs `work(i)` for each client at once, with the health probe; what it cost the service."""
    probe = HealthProbe(server.port)
    cpu_before = cpu_seconds(server.process.pid)
    time.sleep(0.5)  # the probe's interpreter starts
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        outcomes = list(pool.map(work, range(clients)))
    wall = time.perf_counter() - started
    probe.stop()
    counts = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return {"attack": name, "clients": clients, "wall_s": round(wall, 1),
            "cpu_s": round(cpu_seconds(server.process.pid) - cpu_before, 1),
            "peak_rss_mb": round(peak_rss_mb(server.process.pid)), "answers": counts, "healthz": probe.summary()}


def at_rest(server):
    probe = HealthProbe(server.port)
    time.sleep(3.5)
    probe.stop()
    return {"attack": "none (at rest, 3 s)", "healthz": probe.summary(),
            "peak_rss_mb": round(peak_rss_mb(server.process.pid))}


def delimiters(server):
    body = b"--a" * (2 * 1024 * 1024 // 3) + b"\r\n"
    return measure(server, "delimiters: 2 MB of '--a'", 4,
                   lambda _: post(server.port, body, "multipart/form-data; boundary=a", timeout=60))


def uploads(server, clients, size):
    forms = []
    for index in range(clients):
        status, _, body = e2e.request(
            server.service + "/upload", data=urllib.parse.urlencode({"title": f"Big {index}"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        assert status == 201, body
        forms.append(json.loads(body))
    data = os.urandom(size - 256) + b"\0" * 256
    bodies = [e2e.multipart(list(form["fields"].items()) + [("Content-Type", "image/png")], data) for form in forms]
    return measure(server, f"uploads: {size // (1024 * 1024)} MiB each", clients,
                   lambda i: post(server.port, bodies[i][0], bodies[i][1], timeout=120, client=i))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gallery", action="append", required=True, help="label=path of a gallery binary")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--mib", type=int, default=20)
    arguments = parser.parse_args()
    results = {}
    for labelled in arguments.gallery:
        label, path = labelled.split("=", 1)
        rows = []
        for attack in ("rest", "delimiters", "uploads"):
            server = Server(path)  # a fresh service for each, so peak RSS is the attack's own
            try:
                if attack == "rest":
                    rows.append(at_rest(server))
                elif attack == "delimiters":
                    rows.append(delimiters(server))
                else:
                    rows.append(uploads(server, arguments.clients, arguments.mib * 1024 * 1024))
            finally:
                server.stop()
            print(label, json.dumps(rows[-1]), flush=True)
        results[label] = rows
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
