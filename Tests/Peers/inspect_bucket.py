"""Prints a bucket's gallery-relevant configuration on an S3 endpoint (moto) as JSON."""
import json
import sys

import boto3

endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
website = s3.get_bucket_website(Bucket=bucket)
policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
cors = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
notification = s3.get_bucket_notification_configuration(Bucket=bucket)
json.dump({
    "index": website["IndexDocument"]["Suffix"],
    "policy": policy,
    "cors": [{"methods": sorted(rule["AllowedMethods"]), "origins": rule["AllowedOrigins"],
              "expose": rule.get("ExposeHeaders", [])} for rule in cors],
    "block": block,
    "topics": [
        {"events": t["Events"], "filter": t.get("Filter", {}), "topic": t["TopicArn"]}
        for t in notification.get("TopicConfigurations", [])
    ],
}, sys.stdout)
