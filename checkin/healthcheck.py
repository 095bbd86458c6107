"""The image's HEALTHCHECK: `python -m checkin.healthcheck` exits 0 when this container's gunicorn
answers /healthz. Standard library only: it runs every 30 s and must not load the app."""

from __future__ import annotations

import os
import sys
import urllib.request


def url(bind: str) -> str:
    """The address gunicorn listens on (BIND, as gunicorn.conf.py reads it), as a client reaches it."""
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


def main() -> int:
    try:
        with urllib.request.urlopen(url(os.environ.get("BIND", "0.0.0.0:8000")), timeout=4) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
