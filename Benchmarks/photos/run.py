"""Photo pipeline figures for the README (issue 11): one 12 MP JPEG from upload to published
renditions on one core, peak RSS through a burst of 50 such uploads, and the page weight of an index
of 60 of them as headless Chromium loads it (Resource Timing), on a 1280 px desktop window and on a
390 px phone at 3x density. Runs the release `gallery` binary on 127.0.0.1 against the embedded
bucket and stops what it started by PID.

    swift build -c release --product gallery
    .build/peers-venv/bin/python Benchmarks/photos/run.py
"""
import argparse
import concurrent.futures
import importlib.util
import json
import os
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("e2e", os.path.join(ROOT, "Benchmarks/end-to-end/run.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)
PEER = os.path.join(ROOT, "Tests/Peers/photo_tool.py")


def make_photos(folder, count):
    """`count` different 4000 x 3000 camera JPEGs (about 2.1 MB each, with EXIF and a GPS position)."""
    paths = []
    for seed in range(count):
        path = os.path.join(folder, f"camera-{seed}.jpg")
        subprocess.run([os.sys.executable, PEER, "make", path, "--seed", str(seed + 1), "--gps",
                        "--serial", f"SN-{seed}", "--taken", "2024:06:01 10:20:30"], check=True)
        paths.append(path)
    return paths


def multipart(fields, data, content_type):
    boundary = "----photobench" + os.urandom(8).hex()
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
             f"Content-Type: {content_type}\r\n\r\n").encode()
    return body + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(service, title, data):
    """Presign, post, follow the redirect (answered once the index shows the photo). Seconds taken."""
    started = time.perf_counter()
    status, _, body = e2e.request(
        service + "/upload", data=urllib.parse.urlencode({"title": title}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    assert status == 201, body
    answer = json.loads(body)
    payload, content_type = multipart(list(answer["fields"].items()) + [("Content-Type", "image/jpeg")], data,
                                      "image/jpeg")
    status, headers, body = e2e.request(answer["url"], data=payload, headers={"Content-Type": content_type})
    assert status == 303, (status, body[:300])
    status, _, body = e2e.request(headers["Location"], timeout=120)
    assert status == 303, (status, body[:300])
    return time.perf_counter() - started


def memory(pid):
    """(current RSS, peak RSS) in MB, from /proc."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def rendition_seconds(service):
    values = e2e.metrics(service)
    return values.get("gallery_rendition_seconds_sum", 0.0), values.get("gallery_rendition_seconds_count", 0.0)


class Server:
    def __init__(self, gallery, cpus=None):
        self.dir = tempfile.mkdtemp(prefix="gallery-photos-")
        self.port = e2e.free_port()
        self.service = f"http://127.0.0.1:{self.port}"
        command = [gallery, "serve", "--local", os.path.join(self.dir, "bucket"), "--jobs",
                   os.path.join(self.dir, "jobs"), "--site", os.path.join(ROOT, "site"), "--port", str(self.port),
                   "--log-level", "error", "--rate-limit", "0", "--max-pending-per-client", "0", "--poll-interval", "0"]
        if cpus:
            command = ["taskset", "-c", cpus] + command
        self.process = subprocess.Popen(command)
        e2e.wait_for(self.service + "/healthz")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def one_upload(gallery, photos, runs):
    """Each upload alone, the service pinned to one core."""
    server = Server(gallery, cpus="0")
    try:
        upload(server.service, "Warm-up", open(photos[0], "rb").read())
        walls, renders = [], []
        for index in range(runs):
            data = open(photos[index % len(photos)], "rb").read()
            before = rendition_seconds(server.service)
            walls.append(upload(server.service, f"Alone {index}", data))
            after = rendition_seconds(server.service)
            renders.append((after[0] - before[0]) / max(1, after[1] - before[1]))
        rss, peak = memory(server.process.pid)
        return {"wall_ms": sorted(round(w * 1000) for w in walls),
                "rendition_ms": sorted(round(r * 1000) for r in renders),
                "rss_mb": round(rss), "peak_rss_mb": round(peak)}
    finally:
        server.stop()


def burst(server, photos, count, clients):
    """`count` uploads from `clients` at once; peak RSS of the service through them."""
    datas = [open(path, "rb").read() for path in photos]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        walls = list(pool.map(lambda i: upload(server.service, f"Burst photo {i}", datas[i % len(datas)]),
                              range(count)))
    total = time.perf_counter() - started
    rss, peak = memory(server.process.pid)
    return {"uploads": count, "clients": clients, "all_shown_s": round(total, 1),
            "slowest_upload_s": round(max(walls), 1), "rss_mb": round(rss), "peak_rss_mb": round(peak)}


PAGE_WEIGHT_JS = """
const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
const images = performance.getEntriesByType('resource').filter(e => e.initiatorType === 'img');
return {
  bytes: entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0),
  requests: entries.length,
  images: images.length,
  widths: images.map(e => (e.name.match(/\\/(\\d+)-[0-9a-f]{10}\\.webp$/) || [])[1]).filter(Boolean),
  shift: window.__layoutShift || 0,
};
"""

OBSERVE_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__layoutShift += e.value; })
  .observe({type: 'layout-shift', buffered: true});
"""


def page_weight(url, phone):
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0}})
    else:
        options.add_argument("--window-size=1280,900")
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.get(url)
        driver.execute_script(OBSERVE_SHIFTS)
        time.sleep(1.5)
        first = driver.execute_script(PAGE_WEIGHT_JS)
        height = driver.execute_script("return document.body.scrollHeight")
        position = 0
        while position < height:
            position += driver.execute_script("return window.innerHeight")
            driver.execute_script(f"window.scrollTo(0, {position})")
            time.sleep(0.3)
            height = driver.execute_script("return document.body.scrollHeight")
        time.sleep(1.5)
        whole = driver.execute_script(PAGE_WEIGHT_JS)
    finally:
        driver.quit()
    summary = lambda r: {"kb": round(r["bytes"] / 1024), "requests": r["requests"], "images": r["images"],
                         "rendition_widths": sorted(set(r["widths"]), key=int), "layout_shift": round(r["shift"], 4)}
    return {"first_screen": summary(first), "after_scrolling": summary(whole)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gallery", default=os.path.join(ROOT, ".build/release/gallery"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--distinct", type=int, default=12, help="different camera photos to generate")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="gallery-photo-bench-")
    photos = make_photos(folder, args.distinct)
    print("photo:", os.path.getsize(photos[0]), "bytes, 4000 x 3000")
    print("one upload, one core:", json.dumps(one_upload(args.gallery, photos, args.runs)))

    server = Server(args.gallery)
    try:
        print("burst:", json.dumps(burst(server, photos, 50, 10)))
        upload(server.service, "One more", open(photos[0], "rb").read())
        print("burst, all at once:", json.dumps(burst(server, photos, 9, 9)))  # 60 photos now
        for phone in (False, True):
            name = "phone 390 px @3x" if phone else "desktop 1280 px"
            print(f"page weight, 60 photos, {name}:", json.dumps(page_weight(server.service + "/", phone)))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
