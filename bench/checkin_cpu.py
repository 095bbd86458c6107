"""Where a check-in's CPU goes: one process, no network client, PostgreSQL and the broker as in
production (the photo check of a GPS-accepted check-in is queued, no worker runs), against the
bare baseline of bench/load.py in the same run; then the worker's share of the same kind of
check-in, and what both mean for the morning peak.

    .venv/bin/python bench/checkin_cpu.py [--requests 500] [--rounds 3] [--photos 40]

CPU time (time.process_time) per request through Flask's test client, so neither a load
client nor gunicorn shares the figure. The parts are timed by wrapping the functions that do
them; what is left is form validation, the geofence decision, the response and the framework.

The worker's share: check-ins with a face photo (an enrolled person with City Hall's poster, the
size of the /app page's camera frame) go through the API as above and are queued; each is then
checked as a worker process does it (the task's body: the photo check and its commit), one at a
time on one core. The unit of work for sizing is API + worker for one photo check-in.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per process, as the image sets it
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from settings import use_bench_settings  # noqa: E402

SECRET = "cpu-bench-secret-0123456789abcdef0123456789"
use_bench_settings(SECRET)


def timed(owner, name: str, label: str, spent: Counter, nested: list[float]) -> None:
    """Replace owner.name by a wrapper adding its own CPU time to spent[label]: time spent in
    another timed part it calls (a commit that flushes) counts for that part only."""
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        nested.append(0.0)
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.process_time() - started
            spent[label] += elapsed - nested.pop()
            if nested:
                nested[-1] += elapsed

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="per round and kind")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/etk_cpu")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--photos", type=int, default=40, help="photo check-ins the worker's share is measured on")
    parser.add_argument("--peak-rate", type=float, default=100, help="check-ins per second at the morning peak")
    parser.add_argument("--staff", type=int, default=80_000, help="check-ins in the morning peak")
    args = parser.parse_args()

    import load  # the load bench's database, selfies and form
    from flask import Request
    from sqlalchemy.orm import Session

    from checkin.checkins import service, tasks
    from checkin.accounts import auth
    from checkin.storage import LocalStorage

    # Wrapped before the app exists: its routes hold on to authenticate_request.
    spent: Counter = Counter()
    parts = {"read the multipart form (the baseline too)": (Request, "_load_form_data"),
             "JPEG decode (proves the upload whole)": (service, "decode_image"),
             "idempotency look-up": (service, "find_by_client_event_id"),
             "insert the row and its audit records": (Session, "flush"),
             "commit": (Session, "commit"),
             "queue message (Celery, Redis)": (tasks, "enqueue_verification"),
             "store the selfie": (LocalStorage, "put"),
             "authentication (token, user and employee)": (auth, "authenticate_request")}
    nested: list[float] = []
    for label, (owner, name) in parts.items():
        timed(owner, name, label, spent, nested)

    tokens = load.prepare_database(args.postgres, 20)
    storage = tempfile.mkdtemp(prefix="etk-cpu-")
    os.environ.update(DATABASE_URL=args.postgres, STORAGE_DIR=storage)
    import baseline_app
    import redis

    from checkin import create_app

    redis.Redis.from_url(args.redis).flushdb()
    app = create_app({"DATABASE_URL": args.postgres, "SECRET_KEY": SECRET, "STORAGE_DIR": storage,
                      "CELERY_BROKER_URL": args.redis, "RATELIMIT_STORAGE_URI": args.redis})
    pool = load.selfie_pool()
    ours, bare = app.test_client(), baseline_app.app.test_client()

    def checkin() -> None:
        post_queued_checkin(ours, random.choice(tokens), random.choice(pool))

    def baseline() -> None:
        form = checkin_form(random.choice(pool))
        assert bare.post("/upload", data=form, content_type="multipart/form-data").status_code == 201

    def per_request(run) -> float:
        started = time.process_time()
        for _ in range(args.requests):
            run()
        return (time.process_time() - started) / args.requests * 1000

    for run in (baseline, checkin):  # warm caches, pools and compiled statements
        for _ in range(50):
            run()
    figures = {"baseline": [], "check-in": []}
    for number in range(args.rounds):
        figures["baseline"].append(per_request(baseline))
        spent.clear()
        figures["check-in"].append(per_request(checkin))
        print(f"round {number + 1}: baseline {figures['baseline'][-1]:.2f} ms, "
              f"check-in {figures['check-in'][-1]:.2f} ms CPU per request")
    base, check = (statistics.median(figures[kind]) for kind in ("baseline", "check-in"))
    print(f"\nbaseline {base:.2f} ms, check-in {check:.2f} ms CPU per request (medians): "
          f"baseline / check-in = {base / check:.0%}")
    print("check-in parts (last round, ms per request):")
    measured = 0.0
    for label in parts:
        share = spent[label] / args.requests * 1000
        measured += share
        print(f"  {share:6.2f}  {label}")
    print(f"  {check - measured:6.2f}  the rest: form validation, geofence decision, response, framework")
    decode = spent["JPEG decode (proves the upload whole)"] / args.requests * 1000
    print(f"the baseline plus only the decode: {base / (base + decode):.0%} of the baseline")

    api_ms, worker_ms = worker_share(app, ours, tokens, args.postgres, args.photos)
    print(f"\nphoto check-in (face + poster, GPS accepted, checked on a worker), ms of CPU on one core: "
          f"API {api_ms:.1f} + worker {worker_ms:.1f} = {api_ms + worker_ms:.1f}")
    sizing(api_ms, worker_ms, args.peak_rate, args.staff)


def checkin_form(selfie: bytes) -> dict:
    """A phone's check-in inside City Hall's fence, with a distinct copy of `selfie`."""
    import load

    return {**load.checkin_fields(str(uuid.uuid4())),
            "selfie": (io.BytesIO(load.unique(selfie)), "selfie.jpg", "image/jpeg")}


def post_queued_checkin(client, token: str, selfie: bytes) -> int:
    """Post one check-in GPS accepts; its id once the API has queued its photo check."""
    response = client.post("/api/v1/checkins", data=checkin_form(selfie), content_type="multipart/form-data",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201 and response.json["verification"] == "queued", response.json
    return response.json["id"]


def worker_share(app, client, tokens: list[str], url: str, count: int) -> tuple[float, float]:
    """(API, worker) CPU ms per photo check-in: face photos posted and queued, then each checked as
    the worker's task does it. The first three are a warm-up (dlib loads its models once)."""
    import load

    from sqlalchemy import text

    from checkin.checkins import service
    from checkin.database import db

    pool = load.photo_pool(url, len(tokens))
    started = time.process_time()
    # tokens[n] is the employee photo_pool enrolled with this face.
    ids = [post_queued_checkin(client, tokens[number % len(tokens)], pool[number % len(pool)])
           for number in range(count + 3)]
    api_ms = (time.process_time() - started) / len(ids) * 1000

    def check(checkin_ids: list[int]) -> None:
        for checkin_id in checkin_ids:  # the worker task's body
            service.verify_queued_checkin(checkin_id)
            db.session.commit()

    with app.app_context():
        check(ids[:3])
        started = time.process_time()
        check(ids[3:])
        worker_ms = (time.process_time() - started) / count * 1000
        decisions = Counter(f"{status} {' '.join(reasons)}" for status, reasons in db.session.execute(
            text("SELECT status, reasons FROM checkins WHERE id = ANY(:ids)"), {"ids": ids[3:]}))
    print(f"worker decisions on {count} photo check-ins (the {len(pool)} photos repeat: look-alikes are flagged): "
          + "; ".join(f"{n} {label}" for label, n in decisions.most_common()))
    return api_ms, worker_ms


def sizing(api_ms: float, worker_ms: float, rate: float, staff: int) -> None:
    """Cores for the peak, and how long the photo checks lag behind it with fewer worker cores."""
    peak_seconds = staff / rate
    print(f"\nthe morning peak: {staff:,} check-ins at {rate:.0f}/s ({peak_seconds / 60:.0f} min)")
    print(f"  API: {rate * api_ms / 1000:.1f} cores busy; at 60 % load (queueing stays short) "
          f"{rate * api_ms / 1000 / 0.6:.1f} cores")
    print(f"  workers: {rate * worker_ms / 1000:.1f} cores keep up with the peak; with fewer, the queue drains after it:")
    for cores in (2, 4, 8, 12, 16, 24):
        capacity = cores * 1000 / worker_ms  # photo checks per second
        if capacity >= rate:
            print(f"    {cores:3d} worker cores: {capacity:5.0f}/s, no queue")
            continue
        backlog = staff - capacity * peak_seconds
        print(f"    {cores:3d} worker cores: {capacity:5.0f}/s, {backlog:7,.0f} waiting when the peak ends, "
              f"all checked {backlog / capacity / 60:5.1f} min after it")


if __name__ == "__main__":
    main()
