"""The embedded bucket as a static server (issue 13): `wrk -t2 -c64 -d10s --latency` against
`GET /index.html` from `gallery serve`, its own `/healthz` (the service's HTTP ceiling) and Debian's
nginx serving the same folder, in the same run, one after the other. The gallery holds `--photos`
seeded photos (its index about 1.6 KB at 0, more with photos). Stops what it started by PID.

    swift build -c release --product gallery
    apt-get install -y --no-install-recommends wrk nginx-light
    .build/peers-venv/bin/python Benchmarks/static/run.py --gallery .build/release/gallery
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_spec = importlib.util.spec_from_file_location("e2e", os.path.join(ROOT, "Benchmarks/end-to-end/run.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)


def wrk(url, seconds):
    output = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"req_per_s": round(rate), "p99_ms": round(float(p99.group(1)) * scale, 2),
            "non_2xx": int(errors.group(1)) if errors else 0}


def nginx(root, port):
    folder = tempfile.mkdtemp(prefix="nginx-static-")
    config = os.path.join(folder, "nginx.conf")
    with open(config, "w") as f:
        # The bucket's folder is private to this user (mkdtemp): the workers must run as it.
        user = "user root;" if os.geteuid() == 0 else ""
        f.write(f"""{user} worker_processes 2; pid {folder}/nginx.pid; error_log {folder}/error.log; daemon off;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; default_type application/octet-stream;
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; }} }}
""")
    process = subprocess.Popen(["nginx", "-c", config, "-p", folder], stderr=subprocess.DEVNULL)
    try:
        e2e.wait_for(f"http://127.0.0.1:{port}/index.html", seconds=10)
    except RuntimeError:
        process.terminate()
        process.wait()
        raise
    return process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gallery", default=os.path.join(ROOT, ".build/release/gallery"))
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    deployment = e2e.Deployment(arguments.gallery, "local")
    server = None
    try:
        deployment.seed(arguments.photos)
        deployment.serve()
        bucket = os.path.join(deployment.dir, "bucket")
        size = os.path.getsize(os.path.join(bucket, "index.html"))
        port = e2e.free_port()
        server = nginx(bucket, port)
        results = []
        for _ in range(arguments.rounds):  # interleaved: this VM's speed drifts
            results.append({
                "nginx /index.html": wrk(f"http://127.0.0.1:{port}/index.html", arguments.seconds),
                "service /healthz": wrk(deployment.service + "/healthz", arguments.seconds),
                "service /index.html": wrk(deployment.service + "/index.html", arguments.seconds),
            })
        print(json.dumps({"photos": arguments.photos, "index_bytes": size, "rounds": results}, indent=1))
    finally:
        if server:
            server.terminate()
            server.wait()
        deployment.stop()


if __name__ == "__main__":
    main()
