"""End-to-end figures for the README (issue 4): one upload into a gallery of N photos, a burst of
uploads, full rebuilds at several concurrencies. Runs the release `gallery` binary against the
embedded local bucket and against a moto server, all on 127.0.0.1, and stops what it started by PID.

    swift build -c release --product gallery
    .build/peers-venv/bin/python Benchmarks/end-to-end/run.py --sizes 100,1000,10000
"""
import argparse
import base64
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1",
           AWS_EC2_METADATA_DISABLED="true", AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_CONFIG_FILE="/nonexistent")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, data=None, headers=None, method=None, timeout=60):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if request(url, timeout=1)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


def metrics(service):
    text = request(service + "/metrics")[2].decode()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def store_requests(values):
    return sum(v for k, v in values.items() if k.startswith("gallery_store_requests_total"))


def multipart(fields, file):
    boundary = "----bench" + hashlib.md5(os.urandom(8)).hexdigest()
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
    body += file + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def presign_and_post(service, title):
    status, _, body = request(service + "/upload", data=urllib.parse.urlencode({"title": title}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    assert status == 201, body
    answer = json.loads(body)
    fields = list(answer["fields"].items()) + [("Content-Type", "image/png")]
    payload, content_type = multipart(fields, PNG)
    status, headers, body = request(answer["url"], data=payload, headers={"Content-Type": content_type})
    assert status == 303, (status, body[:300])
    return answer["key"], headers.get("Location")


def seeded_photo(i):
    """What the publisher leaves for a published photo: the private original (tagged), one rendition
    and the record a full rebuild reads. (key, body, content type, tagging) each."""
    photo_id = f"seed-{i:06d}"
    rendition = f"img/{photo_id}/1-0000000000.webp"
    record = {"etag": '"' + hashlib.md5(PNG).hexdigest() + '"', "height": 1, "id": photo_id,
              "key": f"incoming/{photo_id}", "page": f"photo/{photo_id}.html",
              "placeholder": "data:image/webp;base64,UklGRiQAAABXRUJQ",
              "renditions": [{"bytes": len(PNG), "height": 1, "type": "image/webp", "url": rendition, "width": 1}],
              "title": f"Seeded photo {i}", "uploadedAt": "2025-01-01T00:00:00.000Z", "width": 1}
    return [(f"incoming/{photo_id}", PNG, "image/png", f"Title=Seeded%20photo%20{i}"),
            (rendition, PNG, "image/webp", ""),
            (f"records/{photo_id}.json", json.dumps(record).encode(), "application/json", "")]


def seed_local_range(bucket, start, stop):
    """Writes photos start..<stop into a local bucket's folder as the publisher leaves them: the
    object files and their metadata beside them (`.gallery/meta/<key>.json`)."""
    etag = '"' + hashlib.md5(PNG).hexdigest() + '"'
    meta = os.path.join(bucket, ".gallery/meta")

    def write(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, data)
        os.close(fd)

    for i in range(start, stop):
        for key, body, content_type, tagging in seeded_photo(i):
            if key.startswith("img/"):
                folder = os.path.dirname(key)
                os.mkdir(os.path.join(bucket, folder))
                os.mkdir(os.path.join(meta, folder))
            write(os.path.join(bucket, key), body)
            tags = [{"key": "Title", "value": urllib.parse.unquote(tagging[6:])}] if tagging else []
            document = {"contentType": content_type,
                        "etag": etag if body is PNG else '"' + hashlib.md5(body).hexdigest() + '"', "tags": tags}
            write(os.path.join(meta, key + ".json"), json.dumps(document).encode())


def seed_local(bucket, count, workers=2):
    """`count` published photos in a local bucket, written by `workers` processes: 100,000 in well
    under a minute on two cores (one process and a makedirs per file took about four)."""
    for folder in ["incoming", "img", "records"]:
        os.makedirs(os.path.join(bucket, folder), exist_ok=True)
        os.makedirs(os.path.join(bucket, ".gallery/meta", folder), exist_ok=True)
    bounds = [count * n // workers for n in range(workers + 1)]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        list(pool.map(seed_local_range, [bucket] * workers, bounds[:-1], bounds[1:]))
    os.sync()  # so the service's first flush is not the seeding's


class Deployment:
    """moto (for mode moto) and `gallery serve` on free ports, in a fresh folder."""

    def __init__(self, gallery, mode, poll=0):
        self.gallery, self.mode = gallery, mode
        self.dir = tempfile.mkdtemp(prefix=f"gallery-bench-{mode}-")
        self.processes = []
        self.port = free_port()
        self.service = f"http://127.0.0.1:{self.port}"
        self.poll = poll
        if mode == "moto":
            self.moto_port = free_port()
            self.endpoint = f"http://127.0.0.1:{self.moto_port}"
            moto = shutil.which("moto_server") or os.path.join(ROOT, ".build/peers-venv/bin/moto_server")
            self.processes.append(subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(self.moto_port)],
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(self.endpoint + "/moto-api/")
            self.args = ["--bucket", "bench", "--endpoint", self.endpoint]
            subprocess.run([gallery, "setup"] + self.args, env=ENV, check=True, stdout=subprocess.DEVNULL)
        else:
            self.args = ["--local", os.path.join(self.dir, "bucket")]
        self.args += ["--jobs", os.path.join(self.dir, "jobs"), "--site", os.path.join(ROOT, "site"),
                      "--port", str(self.port), "--log-level", "error"]
        self.serve_args = ["--rate-limit", "0", "--max-pending-per-client", "0"]

    def seed(self, count):
        if count == 0:
            return
        if self.mode == "moto":
            import boto3
            s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id="bench", aws_secret_access_key="bench")

            def put(i):
                for key, body, content_type, tagging in seeded_photo(i):
                    extra = {"Tagging": tagging} if tagging else {}
                    s3.put_object(Bucket="bench", Key=key, Body=body, ContentType=content_type, **extra)
            with concurrent.futures.ThreadPoolExecutor(16) as pool:
                list(pool.map(put, range(count)))
        else:
            seed_local(os.path.join(self.dir, "bucket"), count)

    def run(self, *arguments):
        started = time.monotonic()
        subprocess.run([self.gallery, *arguments] + self.args, env=ENV, check=True, stdout=subprocess.DEVNULL)
        return time.monotonic() - started

    def serve(self, wait_for_start_check=True):
        self.server = subprocess.Popen([self.gallery, "serve", "--poll-interval", str(self.poll)] + self.serve_args + self.args, env=ENV,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(self.server)
        wait_for(self.service + "/healthz")
        if not wait_for_start_check:
            return
        deadline = time.time() + 600
        while time.time() < deadline:  # the rebuild at start
            if any(k.startswith("gallery_rebuilds_total") for k in metrics(self.service)):
                return
            time.sleep(0.1)

    def stop(self):
        for process in reversed(self.processes):
            process.kill()
            process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def one_upload(gallery, mode, size, restart=False):
    """One upload into a gallery of `size` photos: store requests and time to the new index. With
    `restart`, the service is stopped once the gallery is built and started again first: the time to
    its first answer and to an upload shown on the index are what a restart costs."""
    deployment = Deployment(gallery, mode)
    try:
        started = time.monotonic()
        deployment.seed(size)
        extra = {"seed_s": round(time.monotonic() - started, 1)}
        started = time.monotonic()
        deployment.serve()
        extra["first_start_s"] = round(time.monotonic() - started, 1)
        if restart:
            deployment.server.terminate()
            deployment.server.wait()
            deployment.processes.remove(deployment.server)
            started = time.monotonic()
            deployment.serve(wait_for_start_check=False)
            extra["restart_to_first_answer_s"] = round(time.monotonic() - started, 2)
            key, location = presign_and_post(deployment.service, "Just after the restart")
            status = request(location)[0]
            assert status == 303, f"/uploaded answered {status}: not on the index yet"  # 202 while not shown
            extra["restart_to_upload_on_index_s"] = round(time.monotonic() - started, 2)
            while not any(k.startswith('gallery_rebuilds_total{kind="start"') for k in metrics(deployment.service)):
                time.sleep(0.05)
            extra["restart_to_start_check_done_s"] = round(time.monotonic() - started, 2)
        before = metrics(deployment.service)
        started = time.monotonic()
        key, location = presign_and_post(deployment.service, "The newest photo")
        status = request(location)[0]
        elapsed = time.monotonic() - started
        after = metrics(deployment.service)
        assert status == 303, status
        written = "gallery_store_bytes_written_total"
        with open(f"/proc/{deployment.server.pid}/status") as status_file:
            rss = next(int(line.split()[1]) for line in status_file if line.startswith("VmRSS:"))
        return {"mode": mode, "photos": size, "store_requests": int(store_requests(after) - store_requests(before)),
                "bytes_written": int(after.get(written, 0) - before.get(written, 0)),
                "upload_to_new_index_ms": round(elapsed * 1000, 1), "rss_mib": round(rss / 1024), **extra}
    finally:
        deployment.stop()


def burst(gallery, mode, count):
    deployment = Deployment(gallery, mode, poll=1)
    try:
        deployment.serve()
        before = metrics(deployment.service)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda i: presign_and_post(deployment.service, f"Burst {i}"), range(count)))
        uploaded = time.monotonic() - started
        deadline = time.time() + 600
        while time.time() < deadline:
            values = metrics(deployment.service)
            published = values.get('gallery_uploads_processed_total{outcome="published"}', 0)
            if published >= count and values.get("gallery_pending_jobs", 1) == 0:
                break
            time.sleep(0.2)
        time.sleep(1.5)  # the last pass
        values = metrics(deployment.service)
        rebuilds = sum(v for k, v in values.items() if k.startswith("gallery_rebuilds_total"))
        before_rebuilds = sum(v for k, v in before.items() if k.startswith("gallery_rebuilds_total"))
        return {"mode": mode, "uploads": count, "published": int(values.get('gallery_uploads_processed_total{outcome="published"}', 0)),
                "rebuild_passes": int(rebuilds - before_rebuilds), "uploads_done_s": round(uploaded, 1),
                "all_shown_s": round(time.monotonic() - started, 1)}
    finally:
        deployment.stop()


def full_rebuilds(gallery, size, concurrencies, mode="moto"):
    deployment = Deployment(gallery, mode)
    try:
        deployment.seed(size)
        rows = []
        for concurrency in concurrencies:
            rows.append({"mode": mode, "photos": size, "concurrency": concurrency,
                         "seconds": round(deployment.run("regenerate", "--concurrency", str(concurrency)), 2)})
        return rows
    finally:
        deployment.stop()

def take_down(gallery, mode, size):
    """One `gallery remove` of a photo in the middle of a gallery of `size` photos, while the service
    runs: the store requests it makes (the command's own count) and its time, with this machine's
    copies of the manifest's parts (kept by the service in jobs/manifest-cache) and without them."""
    deployment = Deployment(gallery, mode)
    try:
        deployment.seed(size)
        deployment.serve()

        def remove(i):
            started = time.monotonic()
            done = subprocess.run([gallery, "remove", f"incoming/seed-{i:06d}"] + deployment.args, env=ENV,
                                  check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            elapsed = time.monotonic() - started
            line = next(line for line in done.stderr.splitlines() if "store request" in line)
            return int(line.split(": ")[1].split()[0]), round(elapsed, 2)

        first, first_s = remove(size // 2)
        shutil.rmtree(os.path.join(deployment.dir, "jobs", "manifest-cache"))
        cold, cold_s = remove(size // 3)
        warm, warm_s = remove(size // 4)  # the copies the cold run made
        return {"mode": mode, "photos": size, "remove_store_requests": [first, warm], "remove_s": [first_s, warm_s],
                "remove_store_requests_without_copies": cold, "remove_without_copies_s": cold_s}
    finally:
        deployment.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gallery", default=os.path.join(ROOT, ".build/release/gallery"))
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--modes", default="local,moto")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--rebuild-sizes", default="1000,10000")
    parser.add_argument("--concurrencies", default="1,4,16,64")
    parser.add_argument("--rebuild-mode", default="moto", help="where the full rebuilds run: moto or local")
    parser.add_argument("--restart", action="store_true", help="measure a restart before the one upload")
    parser.add_argument("--take-down", action="store_true",
                        help="measure only one `gallery remove` at each size (store requests and time)")
    args = parser.parse_args()
    if args.take_down:
        for mode in args.modes.split(","):
            for size in map(int, filter(None, args.sizes.split(","))):
                print(json.dumps(take_down(args.gallery, mode, size)), flush=True)
        return
    for mode in args.modes.split(","):
        for size in map(int, filter(None, args.sizes.split(","))):
            print(json.dumps(one_upload(args.gallery, mode, size, args.restart)), flush=True)
    if args.burst:
        for mode in args.modes.split(","):
            print(json.dumps(burst(args.gallery, mode, args.burst)), flush=True)
    for size in map(int, filter(None, args.rebuild_sizes.split(","))):
        for row in full_rebuilds(args.gallery, size, list(map(int, args.concurrencies.split(","))), args.rebuild_mode):
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
