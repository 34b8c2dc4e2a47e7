"""Creates an IAM user with full access and an access key on a moto server whose authentication
is switched on (INITIAL_NO_AUTH_ACTION_COUNT), and prints the key as JSON."""
import json
import sys

import boto3

endpoint = sys.argv[1]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="gallery")
iam.put_user_policy(UserName="gallery", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="gallery")["AccessKey"]
json.dump({"access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"]}, sys.stdout)
