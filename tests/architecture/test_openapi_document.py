"""The API contract is a file in the repository: a change to it shows in the diff of the commit
that makes it. Regenerate with `make openapi` when an endpoint changes on purpose."""

import json
from pathlib import Path

DOCUMENT = Path(__file__).resolve().parents[2] / "docs/openapi.json"


def test_the_served_openapi_document_is_the_committed_one(client):
    served = client.get("/openapi.json").get_json()
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert served["paths"].keys() == committed["paths"].keys()
    assert served == committed, "the API changed: run `make openapi` and commit docs/openapi.json"
