"""S3-compatible storage selected by configuration (moto stands in for the object store)."""

import hashlib
import io

import boto3
import pytest
from moto import mock_aws

from checkin import create_app
from tests.support.api import post_checkin
from tests.support.factory import Factory
from tests.support.images import jpeg_bytes
from tests.support.processes import shared_config


@pytest.fixture
def s3_app(app, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        boto3.client("s3", region_name="ap-southeast-1").create_bucket(
            Bucket="etk-evidence", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        yield create_app({**shared_config(app),
                          "STORAGE_BACKEND": "s3", "S3_BUCKET": "etk-evidence", "S3_PREFIX": "selfies/",
                          "S3_REGION": "ap-southeast-1", "STORAGE_DIR": "/nonexistent"})


def test_selfies_go_to_the_bucket_and_come_back_through_the_api(s3_app):
    make, client = Factory(s3_app), s3_app.test_client()
    employee = make.staff()
    data = jpeg_bytes(seed=11)
    body = post_checkin(client, employee, selfie=(io.BytesIO(data), "s.jpg")).get_json()
    assert body["status"] == "accepted"
    digest = hashlib.sha256(data).hexdigest()
    key = f"selfies/{digest[:2]}/{digest[2:4]}/{digest}.jpg"
    stored = boto3.client("s3", region_name="ap-southeast-1").get_object(Bucket="etk-evidence", Key=key)
    assert stored["Body"].read() == data
    served = client.get(f"/api/v1/checkins/{body['id']}/selfie", headers=employee["headers"])
    assert served.status_code == 200 and served.data == data
