"""Seeds a moto server with ECS task sets and records what boto3 gets back for DescribeTaskSets.

Usage: python seed_and_describe.py ENDPOINT_URL [--with-auth] > expected.json

Prints one JSON object: for each call, its parameters and boto3's parsed result with timestamps as epoch
seconds, or the error code and message it raised. The Rust end-to-end tests make the same calls and compare
their results with these, field by field.

With --with-auth, the script also creates IAM identities (while moto still accepts anything), then turns on
moto's request authentication (`POST /moto-api/reset-auth` with 0: every later request must be signed by a
known key and allowed by its IAM policies), and makes the calls with a real user's key pair, so boto3's
results come from authenticated requests too. The output then also holds:

- "identities": the key pairs of "ecs_user" (allowed ecs:*), "no_ecs_user" (allowed ecs:ListClusters only),
  "assumer" (allowed sts:AssumeRole only) and "role_session" (AssumeRole credentials, with a session token and
  its expiration, for a role allowed ecs:*);
- "roles": the ARNs of "assumable" (allowed ecs:*, trusting the assumer: the assumer's AssumeRole succeeds)
  and "not_assumable" (the role of role_session, trusting the account root, which moto does not match with the
  assumer: AccessDenied);
- "auth_errors": for each way of getting authentication wrong, the credentials used and what boto3 got back
  (HTTP status, error code and message, request id).
"""
import datetime
import json
import sys
import urllib.request

import boto3
import botocore.exceptions

endpoint = sys.argv[1]
with_auth = sys.argv[2:] == ["--with-auth"]
if sys.argv[2:] not in ([], ["--with-auth"]):
    sys.exit(f"usage: {sys.argv[0]} ENDPOINT_URL [--with-auth]")

# Any key pair will do until authentication is turned on.
SEED_CREDENTIALS = {
    "access_key_id": "AKIDEXAMPLE",
    "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}


def client(service, credentials):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["access_key_id"],
        aws_secret_access_key=credentials["secret_access_key"],
        aws_session_token=credentials.get("session_token"),
    )


ecs = client("ecs", SEED_CREDENTIALS)

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


def allow(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def user(iam, name, actions):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="ecs", PolicyDocument=allow(*actions))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}


def role(iam, name, trusted):
    """A role allowed ecs:*, which `trusted` (an ARN) may assume."""
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName=name, PolicyName="ecs", PolicyDocument=allow("ecs:*"))


def enable_auth():
    """From now on moto checks every request's signature and IAM permissions (0 unauthenticated requests left)."""
    # Not form-encoded (urllib's default type): moto reads the count from the raw body, which Flask leaves
    # empty for a form.
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["status"] == "ok"


output = {}
ecs_credentials = SEED_CREDENTIALS
if with_auth:
    iam = client("iam", SEED_CREDENTIALS)
    ecs_user = user(iam, "ecs-user", ["ecs:*"])
    no_ecs_user = user(iam, "no-ecs-user", ["ecs:ListClusters"])
    assumer = user(iam, "assumer", ["sts:AssumeRole"])
    role(iam, "ecs-assumable", trusted="arn:aws:iam::123456789012:user/assumer")
    role(iam, "ecs-reader", trusted="arn:aws:iam::123456789012:root")
    # moto authenticates session tokens only for AssumeRole credentials (GetSessionToken returns a fixed
    # example key pair it does not know).
    session = client("sts", ecs_user).assume_role(
        RoleArn="arn:aws:iam::123456789012:role/ecs-reader", RoleSessionName="e2e-session"
    )["Credentials"]
    role_session = {
        "access_key_id": session["AccessKeyId"],
        "secret_access_key": session["SecretAccessKey"],
        "session_token": session["SessionToken"],
        "expiration": session["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    enable_auth()
    ecs_credentials = ecs_user
    output["identities"] = {
        "ecs_user": ecs_user,
        "no_ecs_user": no_ecs_user,
        "assumer": assumer,
        "role_session": role_session,
    }
    output["roles"] = {
        "assumable": "arn:aws:iam::123456789012:role/ecs-assumable",
        "not_assumable": "arn:aws:iam::123456789012:role/ecs-reader",
    }
    wrong = {
        "wrong_secret": {**ecs_user, "secret_access_key": "wrong" + ecs_user["secret_access_key"][5:]},
        "unknown_access_key": {**ecs_user, "access_key_id": "AKIAUNKNOWNKEY000000"},
        "no_ecs_permission": no_ecs_user,
        "tampered_session_token": {**role_session, "session_token": role_session["session_token"] + "x"},
        "missing_session_token": {k: v for k, v in role_session.items() if k != "session_token"},
    }
    auth_errors = {}
    for name, credentials in wrong.items():
        try:
            client("ecs", credentials).describe_task_sets(**CALLS["all_with_tags"])
            sys.exit(f"{name}: moto accepted the request")
        except botocore.exceptions.ClientError as error:
            auth_errors[name] = {
                "credentials": credentials,
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "code": error.response["Error"]["Code"],
                "message": error.response["Error"].get("Message"),
                "request_id": error.response["ResponseMetadata"].get("RequestId"),
            }
    output["auth_errors"] = auth_errors

ecs = client("ecs", ecs_credentials)
results = {}
for name, params in CALLS.items():
    try:
        results[name] = {"params": params, "result": plain(ecs.describe_task_sets(**params))}
    except botocore.exceptions.ClientError as error:
        results[name] = {
            "params": params,
            "error": {"code": error.response["Error"]["Code"], "message": error.response["Error"].get("Message")},
        }
output["calls"] = results

json.dump(output, sys.stdout, indent=1, sort_keys=True)
