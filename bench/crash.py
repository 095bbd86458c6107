"""Crash test: under load, kill -9 the API (gunicorn, every process) and the Celery worker,
restart them, and check that nothing acknowledged was lost or doubled.

    .venv/bin/python bench/crash.py [--phones 40] [--seconds 30] [--postgres postgresql://postgres@127.0.0.1/etk_crash]

Loopback only, bounded in time and count. Phones behave like the app: a check-in is retried
with the same client_event_id until the server answers 2xx. Checks, printed, exit 1 on failure:
every check-in acknowledged with 2xx is in the database exactly once; a retry of an
acknowledged check-in gets the original answer; every queued photo check completes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import ROOT, checkin_form, prepare_database, selfie_pool, start, unique  # noqa: E402
from settings import use_bench_settings  # noqa: E402

PORT = 8093


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "checkin.worker:celery", "worker", "--pool=solo",
                             "--loglevel=WARNING", "--without-gossip", "--without-mingle"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


async def phones(tokens: list[str], seconds: float, pool: list[bytes], acknowledged: dict, attempts: list):
    import aiohttp

    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{PORT}/api/v1/checkins"
    pool, fallback = list(pool), pool[0]

    async def phone(token: str):
        headers = {"Authorization": f"Bearer {token}"}
        while time.monotonic() < deadline:
            event_id, selfie = str(uuid.uuid4()), unique(pool.pop() if pool else fallback)
            while True:  # the app's outbox: the same event until the server answers
                try:
                    async with session.post(url, data=checkin_form(event_id, selfie), headers=headers) as response:
                        body = await response.json(content_type=None)
                        attempts.append(response.status)
                        if 200 <= response.status < 300:
                            acknowledged[event_id] = (token, body["id"], body["status"])
                            break
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    attempts.append(0)
                if time.monotonic() > deadline + 60:
                    return
                await asyncio.sleep(0.5)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        await asyncio.gather(*(phone(token) for token in tokens))


async def replay(tokens_by_event: dict, sample: list[str], pool: list[bytes]) -> int:
    """Re-send acknowledged events: each must come back 200 as the same check-in (the same id;
    its status is the current one, which a worker's photo check may have changed since)."""
    import aiohttp

    wrong = 0
    async with aiohttp.ClientSession() as session:
        for event_id in sample:
            token, checkin_id, status = tokens_by_event[event_id]
            # A retry may differ (another position, the photo taken again): the first answer stands.
            form = checkin_form(event_id, unique(pool[0]), 14.5, 100.9)
            async with session.post(f"http://127.0.0.1:{PORT}/api/v1/checkins", data=form,
                                    headers={"Authorization": f"Bearer {token}"}) as response:
                body = await response.json()
                wrong += not (response.status == 200 and body["id"] == checkin_id)
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/etk_crash")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    import redis
    from sqlalchemy import create_engine, text

    secret = "crash-test-secret-0123456789abcdef0123456789"
    use_bench_settings(secret)
    pool = selfie_pool(2500, (640, 480))  # different pictures: the worker's replay check must not see copies
    tokens = prepare_database(args.postgres, args.phones)
    redis.Redis.from_url(args.redis).flushdb()
    acknowledged: dict = {}
    attempts: list = []
    with tempfile.TemporaryDirectory() as storage:
        env = {**os.environ, "DATABASE_URL": args.postgres, "STORAGE_DIR": storage, "SECRET_KEY": secret,
               "CELERY_BROKER_URL": args.redis, "RATELIMIT_STORAGE_URI": args.redis, "GUNICORN_ACCESSLOG": "",
               "BIND": f"127.0.0.1:{PORT}", "WEB_CONCURRENCY": "2"}
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
        api, worker = start(command, env, PORT), start_worker(env)

        async def scenario():
            nonlocal api, worker
            load = asyncio.create_task(phones(tokens, args.seconds, pool, acknowledged, attempts))
            await asyncio.sleep(args.seconds / 3)
            before = len(acknowledged)
            kill(api)
            kill(worker)
            print(f"killed -9 the API and the worker after {before} acknowledged check-ins")
            await asyncio.sleep(2)
            api = await asyncio.to_thread(start, command, env, PORT)
            worker = start_worker(env)
            print("restarted both")
            await load

        try:
            asyncio.run(scenario())
            engine = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"))
            deadline = time.monotonic() + 120
            with engine.connect() as connection:
                while time.monotonic() < deadline:
                    queued = connection.execute(text("SELECT count(*) FROM checkins WHERE verification = 'queued'")).scalar()
                    connection.rollback()
                    if queued == 0:
                        break
                    time.sleep(1)
                stored = dict(connection.execute(text("SELECT client_event_id, count(*) FROM checkins GROUP BY 1")).all())
            engine.dispose()
            wrong_replays = asyncio.run(replay(acknowledged, random.Random(1).sample(list(acknowledged),
                                                                                   min(50, len(acknowledged))), pool))
        finally:
            for process in (api, worker):
                if process.poll() is None:
                    kill(process)

    missing = [event for event in acknowledged if stored.get(event) != 1]
    failed_attempts = sum(1 for status in attempts if not 200 <= status < 300)
    print(f"acknowledged {len(acknowledged):,} check-ins in {len(attempts):,} attempts "
          f"({failed_attempts:,} refused or cut off while down, all retried)")
    print(f"acknowledged but not stored exactly once: {len(missing)}")
    print(f"rows in the database: {sum(stored.values()):,} (not acknowledged: {sum(stored.values()) - len(acknowledged)})")
    print(f"retries of acknowledged check-ins with a different answer: {wrong_replays}")
    print(f"photo checks still queued after the drain: {queued}")
    ok = not missing and wrong_replays == 0 and queued == 0
    print("crash test:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
