"""Prints the Title tag of each given key, read with botocore's signed GetObjectTagging (uploads are
private: an anonymous read is refused by the bucket policy).

  object_titles.py ENDPOINT BUCKET KEY...   ->   {"key": "title", ...} (untagged or missing keys left out)
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError


def main():
    endpoint, bucket, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    titles = {}
    for key in keys:
        try:
            tags = s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
        except ClientError:
            continue
        for tag in tags:
            if tag["Key"] == "Title":
                titles[key] = tag["Value"]
    print(json.dumps(titles))


if __name__ == "__main__":
    main()
