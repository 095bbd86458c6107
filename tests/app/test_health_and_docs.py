"""Health probes, OpenAPI document and Swagger UI (served without any CDN)."""

from tests.support.api import assert_error


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["database"] == "ok"


def test_readiness_fails_with_503_when_the_database_is_unreachable(tmp_path):
    from checkin import create_app
    from tests.support.processes import TEST_BIOMETRIC_KEY

    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "TESTING": True,
                      "STORAGE_DIR": str(tmp_path), "SECRET_KEY": "readyz-test-secret-0123456789abcdef",
                      "BIOMETRIC_KEYS": TEST_BIOMETRIC_KEY})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_openapi_documents_every_endpoint_with_security_and_errors(client):
    spec = client.get("/openapi.json").get_json()
    paths = spec["paths"]
    for path in ["/api/v1/auth/token", "/api/v1/checkins", "/api/v1/checkins/{checkin_id}",
                 "/api/v1/checkins/{checkin_id}/selfie", "/api/v1/sites", "/api/v1/sites/{site_id}",
                 "/api/v1/units", "/api/v1/employees", "/api/v1/users", "/api/v1/reasons"]:
        assert path in paths, path
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (method, path)
            # The login itself, the refresh (its bearer is the refresh token, documented in its
            # summary), and a screen's page, which its display token opens.
            if path not in ("/api/v1/auth/token", "/api/v1/auth/refresh", "/signs/{sign_id}/display",
                            "/signs/{sign_id}/display/qr.png"):
                assert operation["security"] == [{"bearerAuth": []}], (method, path)
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
    checkin_body = paths["/api/v1/checkins"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in checkin_body
    assert "422" in paths["/api/v1/checkins"]["post"]["responses"]


def test_swagger_ui_loads_its_assets_locally(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "cdn" not in html.lower()
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_unknown_url_and_wrong_method_use_the_error_shape(client):
    assert_error(client.get("/api/v1/nothing-here"), 404)
    assert_error(client.delete("/api/v1/checkins"), 405)


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]) == 32
