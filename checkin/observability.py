"""Prometheus metrics and structured JSON logs, both carrying the request's route and id.

Under several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory): each worker
writes its figures there and /metrics adds them up.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
from collections.abc import Callable

from flask import Flask, Response, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)

REQUEST_SECONDS = Histogram("etk_request_seconds", "HTTP request latency", ["endpoint", "method", "status"],
                            buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5))
DECISIONS = Counter("etk_checkin_decisions_total", "Check-in decisions by status and reason", ["status", "reason"])
VERIFICATION_SECONDS = Histogram("etk_verification_seconds", "Photo verification time", ["where"],
                                 buckets=(0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5))
QUEUE_DEPTH = Gauge("etk_verification_queue_depth", "Check-ins whose photo check waits for a worker",
                    multiprocess_mode="livemax")


def record_decision(status: str, reasons: list[str]) -> None:
    for reason in reasons or ["NONE"]:
        DECISIONS.labels(status, reason).inc()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        for key in ("request_id", "method", "path", "endpoint", "status", "duration_ms", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask, queue_depth: Callable[[], int]) -> None:
    """`queue_depth` counts the check-ins whose photo check waits (read on each scrape)."""
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        app.logger.handlers[:] = [handler]

    @app.before_request
    def _start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response):
        if "started" in g:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            elapsed = time.perf_counter() - g.started
            REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(elapsed)
            if app.config.get("LOG_REQUESTS"):
                user = g.get("current_user")
                app.logger.info("request", extra={
                    "request_id": g.get("request_id"), "method": request.method, "path": request.path,
                    "endpoint": endpoint, "status": response.status_code, "duration_ms": round(elapsed * 1000, 1),
                    "user_id": user.id if user is not None else None})
        return response

    @app.get("/metrics")
    def metrics():
        """Prometheus text format. Off unless configured: a bearer METRICS_TOKEN, or METRICS_ENABLED
        for a scraper on a network that only it reaches (the figures name endpoints and volumes)."""
        token = app.config.get("METRICS_TOKEN")
        if not token and not app.config.get("METRICS_ENABLED"):
            return Response("not found\n", status=404, mimetype="text/plain")
        if token and not hmac.compare_digest(request.headers.get("Authorization", "").encode(),
                                             f"Bearer {token}".encode()):
            return Response("metrics token required\n", status=401, mimetype="text/plain")
        try:
            QUEUE_DEPTH.set(queue_depth())
        except Exception as error:  # metrics must still answer while the database does not
            app.logger.warning("queue depth unavailable: %s", error)
        registry = None
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        data = generate_latest(registry) if registry else generate_latest()
        return Response(data, mimetype=CONTENT_TYPE_LATEST)
