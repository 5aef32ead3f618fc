"""A fake of the credential services the AWS SDKs' default chain talks to, on a loopback port.

Usage: python fake_credentials.py CONFIG_JSON_FILE

Prints the port it listens on (one line), then serves until its stdin closes (the test process that started
it is gone). Standard library only.

It serves, checking what each request must carry:

- the container endpoint: `GET /creds`, `Authorization` must be the configured token;
- IMDSv2: `PUT /latest/api/token` (with a TTL header) hands out a session token that every
  `GET /latest/meta-data/...` must carry in `X-aws-ec2-metadata-token`;
- STS `AssumeRoleWithWebIdentity` (`POST /`, form-encoded, unsigned): the role ARN and the token must be the
  configured ones;
- the SSO portal's `GetRoleCredentials` (`GET /federation/credentials`, token in `x-amz-sso_bearer_token`)
  and SSO-OIDC `CreateToken` (`POST /token`, refreshing a token with the cached client registration).

The credentials it hands out are the config's `credentials` (a session moto issued, so that moto, checking
signatures, accepts the requests signed with them). Every request is recorded, with what was checked and
any problem found (a refused request is answered 400/401/403 and recorded with its `problem`):
`GET /_requests` returns the record as JSON, `DELETE /_requests` returns it and empties it.

The config (JSON):
  credentials         {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
  container_token     the Authorization value /creds requires
  imds_role           the instance profile's role name; imds_region its placement/region
  web_identity        {"role_arn", "token"}
  sso                 {"account_id", "role_name", "access_tokens": [accepted bearer tokens],
                       "client_id", "client_secret", "refresh_token", "refreshed_access_token"}
"""
import json
import os
import secrets
import sys
import threading
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

config = json.load(open(sys.argv[1]))
creds = config["credentials"]
record = []
record_lock = threading.Lock()
imds_tokens = set()


class Refused(Exception):
    """The request lacks what it must carry: answered with `status`, recorded with `problem`."""

    def __init__(self, status, code, problem):
        super().__init__(problem)
        self.status, self.code, self.problem = status, code, problem


def require(condition, status, code, problem):
    if not condition:
        raise Refused(status, code, problem)


def expiration_millis():
    return int(datetime.fromisoformat(creds["Expiration"].replace("Z", "+00:00")).timestamp() * 1000)


# Each route answers (status, content type, body) or raises Refused.


def container(req):
    require(req.header("authorization") == config.get("container_token"), 401, "Unauthorized",
            "Authorization is not the container token")
    return 200, "application/json", json.dumps({**creds, "RoleArn": "arn:aws:iam::123456789012:role/task"})


def imds_token(req):
    ttl = req.header("x-aws-ec2-metadata-token-ttl-seconds")
    require(ttl is not None and ttl.isdigit() and 1 <= int(ttl) <= 21600, 400, "BadRequest",
            "no valid X-aws-ec2-metadata-token-ttl-seconds")
    token = "imds-" + secrets.token_hex(8)
    imds_tokens.add(token)
    return 200, "text/plain", token


def imds_checked(answer):
    """An IMDS GET: only with a session token handed out by PUT /latest/api/token."""

    def route(req):
        require(req.header("x-aws-ec2-metadata-token") in imds_tokens, 401, "Unauthorized",
                "no valid X-aws-ec2-metadata-token")
        return answer(req)

    return route


def imds_role_name(_req):
    return 200, "text/plain", config["imds_role"]


def imds_role_credentials(_req):
    body = {"Code": "Success", "LastUpdated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Type": "AWS-HMAC", **creds}
    return 200, "application/json", json.dumps(body)


def imds_region(_req):
    return 200, "text/plain", config["imds_region"]


def sts(req):
    form = req.form()
    require(form.get("Action") == "AssumeRoleWithWebIdentity", 400, "InvalidAction", f"Action {form.get('Action')!r}")
    require(form.get("Version") == "2011-06-15", 400, "InvalidParameterValue", "Version is not 2011-06-15")
    require(req.header("authorization") is None, 400, "InvalidParameterValue", "signed, but the call is unsigned")
    web = config["web_identity"]
    require(form.get("RoleArn") == web["role_arn"], 403, "AccessDenied", "RoleArn is not the configured role")
    require(form.get("WebIdentityToken") == web["token"], 400, "InvalidIdentityToken",
            "WebIdentityToken is not the token file's content")
    require(bool(form.get("RoleSessionName")), 400, "ValidationError", "no RoleSessionName")
    body = f"""<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>{creds["AccessKeyId"]}</AccessKeyId>
      <SecretAccessKey>{creds["SecretAccessKey"]}</SecretAccessKey>
      <SessionToken>{creds["Token"]}</SessionToken>
      <Expiration>{creds["Expiration"]}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>e2e-subject</SubjectFromWebIdentityToken>
    <AssumedRoleUser>
      <Arn>{web["role_arn"].replace(":role/", ":assumed-role/").replace(":iam:", ":sts:")}/{form["RoleSessionName"]}</Arn>
      <AssumedRoleId>AROAE2EEXAMPLE:{form["RoleSessionName"]}</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>fake-sts-request</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"""
    return 200, "text/xml", body


def sso_role_credentials(req):
    sso = config["sso"]
    require(req.header("x-amz-sso_bearer_token") in sso["access_tokens"], 401, "UnauthorizedException",
            "x-amz-sso_bearer_token is not a valid access token")
    require(req.query.get("account_id") == sso["account_id"] and req.query.get("role_name") == sso["role_name"],
            403, "ForbiddenException", "account_id or role_name is not the configured one")
    body = {"roleCredentials": {"accessKeyId": creds["AccessKeyId"], "secretAccessKey": creds["SecretAccessKey"],
                                "sessionToken": creds["Token"], "expiration": expiration_millis()}}
    return 200, "application/json", json.dumps(body)


def sso_create_token(req):
    sso, body = config["sso"], req.json()
    require(body.get("grantType") == "refresh_token", 400, "UnsupportedGrantTypeException", "grantType")
    require((body.get("clientId"), body.get("clientSecret")) == (sso["client_id"], sso["client_secret"]), 401,
            "InvalidClientException", "clientId or clientSecret is not the cached registration's")
    require(body.get("refreshToken") == sso["refresh_token"], 400, "InvalidGrantException",
            "refreshToken is not the cached one")
    answer = {"accessToken": sso["refreshed_access_token"], "tokenType": "Bearer", "expiresIn": 3600,
              "refreshToken": sso["refresh_token"]}
    return 200, "application/json", json.dumps(answer)


ROUTES = {
    ("GET", "/creds"): container,
    ("PUT", "/latest/api/token"): imds_token,
    ("GET", "/latest/meta-data/iam/security-credentials/"): imds_checked(imds_role_name),
    ("GET", "/latest/meta-data/placement/region"): imds_checked(imds_region),
    ("POST", "/"): sts,
    ("GET", "/federation/credentials"): sso_role_credentials,
    ("POST", "/token"): sso_create_token,
}
if config.get("imds_role"):
    ROUTES["GET", "/latest/meta-data/iam/security-credentials/" + config["imds_role"]] = imds_checked(
        imds_role_credentials)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def header(self, name):
        return self.headers.get(name)

    def form(self):
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def json(self):
        return json.loads(self.body or b"{}")

    def handle_one(self):
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        if url.path == "/_requests":  # the record: GET reads it, DELETE reads and empties it
            with record_lock:
                taken = json.dumps(record)
                if self.command == "DELETE":
                    record.clear()
            return self.answer(200, "application/json", taken)
        route = ROUTES.get((self.command, url.path))
        entry = {"method": self.command, "path": url.path, "query": self.query,
                 "headers": {k.lower(): v for k, v in self.headers.items()}, "body": self.body.decode(errors="replace"),
                 "problem": None}
        try:
            if route is None:
                raise Refused(404, "NotFound", f"no route for {self.command} {url.path}")
            status, content_type, body = route(self)
        except Refused as refused:
            entry["problem"] = refused.problem
            status, content_type = refused.status, "application/json"
            body = json.dumps({"__type": refused.code, "Code": refused.code, "message": refused.problem})
        except Exception as error:  # a malformed request: still recorded, answered 400
            entry["problem"] = f"{type(error).__name__}: {error}"
            status, content_type, body = 400, "application/json", json.dumps({"message": entry["problem"]})
        entry["status"] = status
        with record_lock:
            record.append(entry)
        self.answer(status, content_type, body)

    do_GET = do_PUT = do_POST = do_DELETE = handle_one

    def answer(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "fake-" + secrets.token_hex(4))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def exit_when_parent_goes():
    sys.stdin.buffer.read()
    os._exit(0)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=exit_when_parent_goes, daemon=True).start()
server.serve_forever()
