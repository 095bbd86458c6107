"""The bare baseline for bench/load.py: the same stack (gunicorn, Flask, PostgreSQL, storage),
one endpoint that stores the upload and inserts one row, nothing else."""

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from flask import Flask, jsonify, request
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from checkin.config import normalise_database_url  # noqa: E402
from checkin.storage import LocalStorage  # noqa: E402

metadata = MetaData()
uploads = Table("baseline_uploads", metadata, Column("id", Integer, primary_key=True),
                Column("client_event_id", String(36), unique=True), Column("sha256", String(64)),
                Column("received_at", DateTime(timezone=True)))
engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
storage = LocalStorage(os.environ["STORAGE_DIR"])
metadata.create_all(engine)  # the baseline's own table, beside the product's schema
app = Flask(__name__)


@app.post("/upload")
def upload():
    data = request.files["selfie"].read()
    sha256 = storage.put(data, "jpg")
    with engine.begin() as connection:
        row_id = connection.execute(insert(uploads).values(
            client_event_id=request.form["client_event_id"], sha256=sha256,
            received_at=datetime.now(timezone.utc)).returning(uploads.c.id)).scalar_one()
    return jsonify(id=row_id, sha256=sha256), 201


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
