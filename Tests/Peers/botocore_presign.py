"""Computes botocore's presigned POST for a fixed clock, so Swift tests can compare fields byte for byte.

Reads a JSON request on stdin:
  {"access_key", "secret_key", "token"?, "region", "endpoint", "bucket", "key",
   "fields": {name: value}, "conditions": [...], "expires_in", "now": "YYYY-mm-ddTHH:MM:SSZ"}
and prints {"url": ..., "fields": {...}} as botocore's generate_presigned_post returns it.
"""
import datetime
import json
import sys
from unittest import mock

import boto3
import botocore.auth
import botocore.config
import botocore.signers


def main() -> None:
    request = json.load(sys.stdin)
    now = datetime.datetime.strptime(request["now"], "%Y-%m-%dT%H:%M:%SZ")
    client = boto3.client(
        "s3",
        aws_access_key_id=request["access_key"],
        aws_secret_access_key=request["secret_key"],
        aws_session_token=request.get("token"),
        region_name=request["region"],
        endpoint_url=request["endpoint"],
        config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    with mock.patch.object(botocore.signers, "get_current_datetime", return_value=now), mock.patch.object(
        botocore.auth, "get_current_datetime", return_value=now
    ):
        post = client.generate_presigned_post(
            Bucket=request["bucket"],
            Key=request["key"],
            Fields=request.get("fields") or None,
            Conditions=request.get("conditions") or None,
            ExpiresIn=request["expires_in"],
        )
    json.dump(post, sys.stdout)


if __name__ == "__main__":
    main()
