"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`. Each can be overridden
by the environment variable named beside it."""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Image decoding and face checks are CPU work: about two processes per core, a few threads each
# for the time spent waiting on PostgreSQL, Redis and storage. The cores this process may use,
# not the host's: a container limited to 2 of 64 cores must not start 128 workers.
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a photo check takes ~0.2 s; 30 s is a hang
graceful_timeout = 30
keepalive = 5
# Uploads are capped by the app (MAX_CONTENT_LENGTH: 10 MB selfie + form); headers here.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))  # recycle workers: bounded memory
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
# Gunicorn's default line carries the query string and the Referer: a sign display's ?token=
# and a search's ?q= (people's names) would be in every log. Path only, and the duration.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket (for `gunicornc`) under $HOME by default: in a container
# whose root file system is read-only that logs errors at every start, and nothing here uses it.
# Off unless GUNICORN_CONTROL_SOCKET names a path (under /tmp in the image).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "/tmp/gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
# Workers' heartbeat files in memory where there is /dev/shm: no disk writes, and a read-only
# root works.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def on_starting(server):
    """The metrics directory must exist before a worker writes to it: a fresh tmpfs /tmp has none."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Let Prometheus forget a worker that is gone (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
