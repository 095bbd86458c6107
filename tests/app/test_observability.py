"""/metrics and structured logs."""

import json
import logging

from checkin.observability import JsonFormatter
from tests.support.api import post_checkin
from tests.support.processes import another_process


def test_metrics_show_latency_decisions_and_queue_depth(client, make, app):
    employee = make.staff()
    post_checkin(client, employee)
    post_checkin(client, employee, mock_location="true")
    text = another_process(app, METRICS_ENABLED=True).test_client().get("/metrics").get_data(as_text=True)
    assert 'etk_request_seconds_count{endpoint="/api/v1/checkins",method="POST",status="201"}' in text
    assert 'etk_checkin_decisions_total{reason="MOCK_LOCATION",status="flagged"}' in text
    assert 'etk_checkin_decisions_total{reason="INSIDE_GEOFENCE",status="accepted"}' in text
    assert "etk_verification_queue_depth 0.0" in text
    assert 'etk_verification_seconds_count{where="request"}' in text


def test_metrics_are_off_unless_configured(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_token_when_configured(app):
    guarded = another_process(app, METRICS_TOKEN="scrape-me").test_client()
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("checkin", logging.INFO, __file__, 1, "request", None, None)
    record.request_id, record.status, record.duration_ms = "abc-123", 201, 12.5
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["request_id"], line["status"], line["duration_ms"]) == ("request", "abc-123", 201, 12.5)
