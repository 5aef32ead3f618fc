"""Seeds a moto server with ECS task sets and records what boto3 gets back for DescribeTaskSets.

Usage: python seed_and_describe.py ENDPOINT_URL > expected.json

Prints one JSON object: the ARNs and ids it created (so the Rust test can make the same calls) and, for each
call, boto3's parsed result with timestamps as epoch seconds, or the error code and message it raised. The Rust
end-to-end test compares the generated client's results with these, field by field.
"""
import datetime
import json
import sys

import boto3
import botocore.exceptions

endpoint = sys.argv[1]
ecs = boto3.client(
    "ecs",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
)

ecs.create_cluster(clusterName="e2e")
ecs.register_task_definition(
    family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
)
ecs.create_service(
    cluster="e2e",
    serviceName="checkout",
    taskDefinition="web",
    desiredCount=2,
    deploymentController={"type": "EXTERNAL"},
)
blue = ecs.create_task_set(
    cluster="e2e",
    service="checkout",
    taskDefinition="web",
    externalId="blue",
    networkConfiguration={
        "awsvpcConfiguration": {
            "subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
            "securityGroups": ["sg-0123456789abcdef0"],
            "assignPublicIp": "ENABLED",
        }
    },
    loadBalancers=[
        {
            "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef",
            "containerName": "web",
            "containerPort": 80,
        }
    ],
    serviceRegistries=[
        {"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-blue", "port": 8080}
    ],
    launchType="FARGATE",
    scale={"value": 50.0, "unit": "PERCENT"},
    tags=[{"key": "team", "value": "payments"}, {"key": "colour", "value": "blue"}],
)["taskSet"]
green = ecs.create_task_set(
    cluster="e2e",
    service="checkout",
    taskDefinition="web",
    externalId="green",
    # FARGATE: moto places EC2 task sets on container instances, which this cluster has none of.
    launchType="FARGATE",
    networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-8c9d0e1f"], "assignPublicIp": "DISABLED"}},
    scale={"value": 100.0, "unit": "PERCENT"},
    tags=[{"key": "colour", "value": "green"}],
)["taskSet"]


def plain(value):
    """boto3's parsed values in the awsJson wire form: datetimes back to epoch seconds."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


CALLS = {
    "all_with_tags": {"cluster": "e2e", "service": "checkout", "include": ["TAGS"]},
    "all_without_tags": {"cluster": "e2e", "service": "checkout"},
    "by_id": {"cluster": "e2e", "service": "checkout", "taskSets": [blue["id"]], "include": ["TAGS"]},
    "by_arn": {"cluster": "e2e", "service": "checkout", "taskSets": [green["taskSetArn"]]},
    "missing_cluster": {"cluster": "no-such-cluster", "service": "checkout"},
    "missing_service": {"cluster": "e2e", "service": "no-such-service"},
}

results = {}
for name, params in CALLS.items():
    try:
        results[name] = {"params": params, "result": plain(ecs.describe_task_sets(**params))}
    except botocore.exceptions.ClientError as error:
        results[name] = {
            "params": params,
            "error": {"code": error.response["Error"]["Code"], "message": error.response["Error"].get("Message")},
        }

json.dump({"calls": results}, sys.stdout, indent=1, sort_keys=True)
