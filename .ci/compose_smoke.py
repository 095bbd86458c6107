#!/usr/bin/env python3
"""The whole system from docker-compose.yml on this machine, tried as an operator would: bring it
up with podman-compose (compose.host.yml: this machine's PostgreSQL and Redis, host network), load
the demo data, check in through the API with a face photo, and wait for the *worker container* to
check that photo, which it can only read through the shared volume. Then the image's HEALTHCHECK,
the beat's log, the read-only root, and `down -v`. Exits 1 on any failure, with the containers' logs.

    python3 .ci/compose_smoke.py [--image etk:local] [--port 8011]

Standard library only (it runs before any virtual environment); needs podman set up by
../shared/tools/container/setup and the image built by ../shared/tools/container/build.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACE = ROOT.parent / "shared" / "fixtures" / "faces" / "obama" / "obama_1.jpg"
PROJECT = "etk-smoke"
DATABASE = "etk_compose_smoke"


def run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=check, text=True, **kwargs)


def request(url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}), timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError:
        return 0, {}


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="selfie.jpg"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def wait_for(what: str, probe, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if probe():
            print(f"ok: {what}", flush=True)
            return
        time.sleep(1)
    raise SystemExit(f"FAILED: {what} (after {seconds:.0f} s)")


def check_in(base: str) -> tuple[int, str]:
    """The demo employee checks in inside City Hall's fence with a face photo; the API answers at
    once with the photo check queued for the worker."""
    status, body = request(f"{base}/api/v1/auth/token", json.dumps(
        {"username": "employee", "password": "clock-in-2569"}).encode(), {"Content-Type": "application/json"})
    assert status == 200, (status, body)
    form, content_type = multipart({
        "kind": "in", "latitude": "13.7532", "longitude": "100.5008", "accuracy_m": "12",
        "captured_at": datetime.now(timezone.utc).isoformat(), "client_event_id": str(uuid.uuid4()),
    }, "selfie", FACE.read_bytes())
    status, checkin = request(f"{base}/api/v1/checkins", form, {
        "Content-Type": content_type, "Authorization": f"Bearer {body['access_token']}"})
    assert status == 201 and checkin["verification"] == "queued", (status, checkin)
    print(f"ok: check-in {checkin['id']} accepted by the API, photo check queued", flush=True)
    return checkin["id"], body["access_token"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image", default="etk:local")
    parser.add_argument("--port", type=int, default=8011)
    args = parser.parse_args()
    compose_bin = shutil.which("podman-compose") or sys.exit("FAILED: podman-compose is not installed")
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as folder:
        env_file = Path(folder) / "env"
        env_file.write_text("\n".join([
            f"SECRET_KEY={uuid.uuid4().hex}{uuid.uuid4().hex}",
            "BIOMETRIC_KEYS=" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
            f"POSTGRES_PASSWORD={uuid.uuid4().hex}", f"ETK_IMAGE={args.image}",
            f"HOST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/{DATABASE}",
            "HOST_REDIS_URL=redis://127.0.0.1:6379/5", f"ETK_BIND=127.0.0.1:{args.port}", ""]))
        compose = [compose_bin, "-p", PROJECT, "--env-file", str(env_file),
                   "-f", str(ROOT / "docker-compose.yml"), "-f", str(ROOT / "compose.host.yml")]
        run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE)
        run("createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE)
        run("redis-cli", "-n", "5", "flushdb", stdout=subprocess.DEVNULL)
        try:
            run(*compose, "up", "-d")
            wait_for("the API is ready (/readyz)", lambda: request(f"{base}/readyz")[0] == 200, 180)
            # The image's own HEALTHCHECK (an OCI-format build drops it: build with --format docker).
            run("podman", "healthcheck", "run", f"{PROJECT}_api_1")
            print("ok: the image's HEALTHCHECK passes in the API container", flush=True)
            run("podman", "exec", f"{PROJECT}_api_1", "flask", "load-demo", stdout=subprocess.DEVNULL)
            checkin_id, token = check_in(base)
            wait_for("the worker container checked the photo from the shared volume", lambda: request(
                f"{base}/api/v1/checkins/{checkin_id}", headers={"Authorization": f"Bearer {token}"}
            )[1].get("verification") == "done", 120)
            wait_for("the beat is running", lambda: "beat: Starting" in run(
                "podman", "logs", f"{PROJECT}_beat_1", capture_output=True).stderr, 60)
            written = run("podman", "exec", f"{PROJECT}_api_1", "touch", "/app/x", check=False,
                          capture_output=True)
            assert written.returncode != 0, "the root file system is writable"
            print("ok: the root file system is read-only", flush=True)
            return 0
        except (AssertionError, SystemExit, subprocess.CalledProcessError) as error:
            print(f"FAILED: {error}", file=sys.stderr)
            for service in ("migrate", "api", "worker", "beat"):
                run("podman", "logs", "--tail", "40", f"{PROJECT}_{service}_1", check=False)
            return 1
        finally:
            run(*compose, "down", "-v", check=False, stdout=subprocess.DEVNULL)
            run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE, check=False)


if __name__ == "__main__":
    sys.exit(main())
