"""boto3's side of the runnable example: the same call, configured only by the environment.

Usage: python describe_with_boto3.py --cluster C --service S [--task-set ID]... [--include-tags]

Like the example (`generated/ecs/examples/describe_task_sets.rs`), it takes region, credentials and endpoint
from the environment and the shared files (boto3's default chain), prints DescribeTaskSets' result as JSON
on stdout, as the example does (the same text: its keys in the model's order, indented by two spaces,
timestamps as epoch seconds) and exits 0, or prints the error on stderr and
exits 1. Either way stderr's first line names the credential source boto3 used: `boto3 credentials: METHOD`
(botocore's name: env, shared-credentials-file, assume-role, custom-process, container-role, iam-role,
assume-role-with-web-identity, sso), or `none`.
"""
import argparse
import datetime
import json
import sys

import boto3
import botocore.exceptions

parser = argparse.ArgumentParser()
parser.add_argument("--cluster", required=True)
parser.add_argument("--service", required=True)
parser.add_argument("--task-set", action="append", default=[])
parser.add_argument("--include-tags", action="store_true")
args = parser.parse_args()


def plain(value):
    """boto3's parsed values in the awsJson wire form, as the example prints them: datetimes back to epoch
    seconds (whole seconds as integers)."""
    if isinstance(value, datetime.datetime):
        seconds = value.timestamp()
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


try:
    session = boto3.session.Session()
    credentials = session.get_credentials()
    print(f"boto3 credentials: {credentials.method if credentials else 'none'}", file=sys.stderr, flush=True)
    params = {"cluster": args.cluster, "service": args.service}
    if args.task_set:
        params["taskSets"] = args.task_set
    if args.include_tags:
        params["include"] = ["TAGS"]
    result = session.client("ecs").describe_task_sets(**params)
except botocore.exceptions.BotoCoreError as error:  # no credentials, a provider that failed, no region
    sys.exit(f"error: {type(error).__name__}: {error}")
except botocore.exceptions.ClientError as error:  # a service's answer (STS's AccessDenied, ECS's errors)
    meta = error.response.get("ResponseMetadata", {})
    request_id = meta.get("RequestId") or meta.get("HTTPHeaders", {}).get("x-amzn-requestid")
    sys.exit(f"error: {error}\n  code: {error.response['Error'].get('Code')}\n  request id: {request_id}")
print(json.dumps(plain(result), indent=2))
