#!/usr/bin/env python3
"""Canary: plant a unique marker in every place a Terraform state keeps a
secret, run every output of the tool, and assert the marker appears nowhere:
not in the findings (text, JSON), the graph dump, the report folder, or the
diagnostics. Also plants it where a parse error would quote the input, and
under whole blocks marked sensitive (everything beneath is secret, even
fields that are read elsewhere).

Differential run: the same tree with two different secret values (of
different lengths) must give byte-identical output in every format,
fingerprints included: nothing derived from a secret reaches an output.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MARKER = "SFCANARY-7f3a9c2e41b8d605"
AWS = 'provider["registry.terraform.io/hashicorp/aws"]'


def inst(attrs, sensitive=(), paths=(), **kw):
    """paths: nested sensitive paths (names and list indexes)."""
    d = {"schema_version": 0, "attributes": attrs,
         "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive] +
                                 [[{"type": "index", "value": {"value": x, "type": "number"}}
                                   if isinstance(x, int) else {"type": "get_attr", "value": x}
                                   for x in p] for p in paths],
         "private": "bnVsbA=="}
    d.update(kw)
    return d


def res(type_, name, *instances, provider=AWS):
    return {"mode": "managed", "type": type_, "name": name, "provider": provider,
            "instances": list(instances)}


def secret_state(m=MARKER):
    lb_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/a/1"
    return {
        "version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "x",
        "outputs": {"db_password": {"value": m + "-output", "type": "string", "sensitive": True}},
        "resources": [
            res("aws_db_instance", "main", inst({"password": m + "-dbpw", "username": "admin",
                                                 "arn": "arn:aws:rds:us-east-1:111122223333:db:main"},
                                                sensitive=["password"])),
            res("aws_secretsmanager_secret_version", "v", inst(
                {"secret_string": m + "-secretstring", "secret_binary": m + "-binary",
                 "arn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
                 "secret_id": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf"},
                sensitive=["secret_string", "secret_binary"])),
            res("random_password", "p", inst({"result": m + "-result", "id": "none",
                                             "bcrypt_hash": m + "-bcrypt"},
                                            sensitive=["result", "bcrypt_hash"]),
                provider='provider["registry.terraform.io/hashicorp/random"]'),
            res("random_string", "s", inst({"result": m + "-rs", "id": m + "-rsid"}),
                provider='provider["registry.terraform.io/hashicorp/random"]'),
            res("tls_private_key", "k", inst({"private_key_pem": m + "-pem", "id": "abc"},
                                             sensitive=["private_key_pem"]),
                provider='provider["registry.terraform.io/hashicorp/tls"]'),
            res("aws_iam_access_key", "k", inst({"secret": m + "-iamsecret", "id": "AKIAEXAMPLE",
                                                 "ses_smtp_password_v4": m + "-smtp"},
                                                sensitive=["secret", "ses_smtp_password_v4"])),
            # An allow-listed attribute the state marks sensitive is not read.
            res("aws_lb", "api", inst({"name": m + "-lbname", "arn": lb_arn,
                                       "dns_name": "a-1.us-east-1.elb.amazonaws.com"},
                                      sensitive=["name"])),
            res("aws_route53_record", "txt", inst({"name": "_verify.example.com", "type": "TXT",
                                                   "records": [m + "-txt"], "ttl": 300,
                                                   "zone_id": "Z1", "fqdn": "_verify.example.com"})),
            res("aws_lambda_function", "f", inst({"environment": [{"variables": {"API_KEY": m + "-env"}}],
                                                  "arn": "arn:aws:lambda:us-east-1:111122223333:function:f"})),
        ] + json_in_strings(m),
    }


def json_in_strings(m):
    """Secrets inside the JSON documents a state keeps in strings (container
    definitions, policies), in nested blocks beside the values that are
    read (an OIDC issuer next to its client secret), and in JSON strings
    that are not JSON: only references may be taken from them."""
    acct = "111122223333"
    lb = "arn:aws:elasticloadbalancing:us-east-1:%s:loadbalancer/app/a/1" % acct
    containers = [{
        "name": "app", "image": "%s.dkr.ecr.us-east-1.amazonaws.com/app:1" % acct,
        "environment": [{"name": "API_TOKEN", "value": m + "-ctenv"}],
        "command": ["serve", "--password", m + "-cmd"],
        "dockerLabels": {"token": m + "-label"},
        "logConfiguration": {"logDriver": "splunk", "options": {"splunk-token": m + "-splunk"}},
        "secrets": [{"name": "DB_PASSWORD",
                     "valueFrom": "arn:aws:secretsmanager:us-east-1:%s:secret:db-AbCdEf:password::" % acct}],
        "repositoryCredentials": {"credentialsParameter":
                                  "arn:aws:secretsmanager:us-east-1:%s:secret:registry-XyZ123" % acct}}]
    oidc = {"issuer": "https://login.example.com", "client_id": "app", "client_secret": m + "-oidc",
            "authorization_endpoint": "https://login.example.com/authorize",
            "token_endpoint": "https://login.example.com/token",
            "user_info_endpoint": "https://login.example.com/userinfo"}
    trust = {"Version": "2012-10-17", "Statement": [
        {"Sid": m + "-sid", "Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
         "Condition": {"StringEquals": {"sts:ExternalId": m + "-extid"}}},
        {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
         "Principal": {"Federated": "cognito-identity.amazonaws.com"},
         "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:0f1e2d3c"},
                       "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": m + "-amr"}}}]}
    dns_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "route53:ChangeResourceRecordSets",
         "Resource": "arn:aws:route53:::hostedzone/Z1",
         "Condition": {"StringEquals": {"aws:PrincipalTag/token": m + "-cond"}}}]}
    listener = lambda name, sens: res("aws_lb_listener", name, inst({
        "arn": lb.replace(":loadbalancer/", ":listener/") + "/" + name, "load_balancer_arn": lb,
        "port": 443, "protocol": "HTTPS",
        "default_action": [{"type": "authenticate-oidc", "order": 1, "authenticate_oidc": [oidc],
                            "authenticate_cognito": [], "forward": [], "target_group_arn": ""}]},
        paths=[["default_action", 0, "authenticate_oidc", 0, "client_secret"]] if sens else []))
    # Whole blocks marked sensitive: the state names only the block, and
    # everything under it (an issuer, a health check path that are read
    # when not marked) stays out.
    blocked_oidc = dict(oidc, issuer="https://blocked.example.com/" + m,
                        authorization_endpoint="https://blocked.example.com/" + m + "/a")
    whole_blocks = [
        res("aws_lb_listener", "block", inst({
            "arn": lb.replace(":loadbalancer/", ":listener/") + "/block", "load_balancer_arn": lb,
            "port": 443, "protocol": "HTTPS",
            "default_action": [{"type": "authenticate-oidc", "order": 1,
                                "authenticate_oidc": [blocked_oidc], "authenticate_cognito": [],
                                "forward": [], "target_group_arn": ""}]},
            paths=[["default_action"]])),
        res("aws_lb_target_group", "block", inst({
            "arn": "arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/block/1" % acct,
            "name": "block", "port": 80, "protocol": "HTTP",
            "health_check": [{"enabled": True, "path": "/" + m + "-hc", "protocol": "HTTP"}]},
            paths=[["health_check"]])),
    ]
    return whole_blocks + [
        res("aws_ecs_task_definition", "canary", inst({
            "arn": "arn:aws:ecs:us-east-1:%s:task-definition/canary:1" % acct, "family": "canary",
            "revision": 1, "container_definitions": json.dumps(containers),
            "task_role_arn": "arn:aws:iam::%s:role/canary" % acct})),
        # Not JSON: the warning names the attribute, never the text.
        res("aws_ecs_task_definition", "broken", inst({
            "arn": "arn:aws:ecs:us-east-1:%s:task-definition/broken:1" % acct, "family": "broken",
            "container_definitions": '[{"environment": [{"value": "' + m + '-broken'})),
        res("aws_ecs_task_definition", "object", inst({
            "arn": "arn:aws:ecs:us-east-1:%s:task-definition/object:1" % acct, "family": "object",
            "container_definitions": json.dumps({"environment": [{"value": m + "-object"}]})})),
        res("aws_iam_role", "canary", inst({
            "arn": "arn:aws:iam::%s:role/canary" % acct, "name": "canary",
            "assume_role_policy": json.dumps(trust),
            "inline_policy": [{"name": "dns", "policy": json.dumps(dns_policy)}]})),
        res("aws_iam_policy", "broken", inst({
            "arn": "arn:aws:iam::%s:policy/broken" % acct, "name": "broken",
            "policy": '{"Statement": [{"Condition": "' + m + '-policy'})),
        res("aws_iam_role_policy", "canary", inst({
            "role": "canary", "name": "p", "policy": json.dumps(dns_policy)})),
        res("aws_route53_zone", "z", inst({"zone_id": "Z1", "id": "Z1", "name": "example.com"})),
        listener("marked", True),
        listener("unmarked", False),
        res("aws_cognito_identity_provider", "oidc", inst({
            "user_pool_id": "us-east-1_AbC", "provider_name": "corp", "provider_type": "OIDC",
            "provider_details": {"client_id": "app", "client_secret": m + "-cognito",
                                 "oidc_issuer": "https://idp.example.com", "authorize_scopes": "openid"}})),
        res("aws_ssm_parameter", "p", inst({
            "arn": "arn:aws:ssm:us-east-1:%s:parameter/db" % acct, "name": "/db", "type": "SecureString",
            "value": m + "-ssm", "insecure_value": None, "key_id": "alias/aws/ssm"}, sensitive=["value"])),
        res("aws_kms_key", "k", inst({
            "arn": "arn:aws:kms:us-east-1:%s:key/1234abcd" % acct, "key_id": "1234abcd",
            "policy": json.dumps({"Statement": [{"Sid": m + "-kms", "Effect": "Allow"}]})})),
        res("aws_acm_certificate", "c", inst({
            "arn": "arn:aws:acm:us-east-1:%s:certificate/0a1b" % acct, "domain_name": "example.com",
            "private_key": m + "-pk", "certificate_body": m + "-body", "type": "IMPORTED"},
            sensitive=["private_key"])),
        res("cloudflare_load_balancer_monitor", "m", inst({
            "id": "mon1", "type": "https", "path": "/health", "header": [{"header": "Authorization",
                                                                        "values": [m + "-cf"]}]}),
            provider='provider["registry.terraform.io/cloudflare/cloudflare"]'),
        res("azurerm_traffic_manager_profile", "tm", inst({
            "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/trafficManagerProfiles/tm",
            "name": "tm", "traffic_routing_method": "Priority", "fqdn": "tm.trafficmanager.net",
            "monitor_config": [{"protocol": "HTTPS", "port": 443, "path": "/",
                                "custom_header": [{"name": "x-token", "value": m + "-az"}]}]}),
            provider='provider["registry.terraform.io/hashicorp/azurerm"]'),
    ]


def show_json(state):
    rs = []
    for r in state["resources"]:
        for i in r["instances"]:
            sens = {s[0]["value"]: True for s in i["sensitive_attributes"]}
            rs.append({"address": "%s.%s" % (r["type"], r["name"]), "mode": "managed",
                       "type": r["type"], "name": r["name"],
                       "provider_name": "registry.terraform.io/hashicorp/aws",
                       "schema_version": 0, "values": i["attributes"], "sensitive_values": sens})
    return {"format_version": "1.0", "terraform_version": "1.5.7",
            "values": {"root_module": {"resources": rs}}}


def write_tree(tmp, m):
    st = secret_state(m)
    os.makedirs(os.path.join(tmp, "repo", "state"))
    with open(os.path.join(tmp, "repo", "state", "terraform.tfstate"), "w") as f:
        json.dump(st, f, indent=2)
    with open(os.path.join(tmp, "repo", "state", "show.json"), "w") as f:
        json.dump(show_json(st), f)


def set_secrets(v, m):
    """Every client_secret in a state, set to m."""
    if isinstance(v, dict):
        return {k: (m + "-cs" if k == "client_secret" else set_secrets(x, m)) for k, x in v.items()}
    if isinstance(v, list):
        return [set_secrets(x, m) for x in v]
    return v


def differential(binary, src):
    """Two trees that differ only in their secret values give the same
    bytes in every output. A failover pair with findings (its listeners'
    OIDC client secrets marked sensitive) gives fingerprints to compare."""
    failures = []
    outs = []
    with open(os.path.join(src, "fixtures", "tf-sf101-shared-idp", "terraform.tfstate")) as f:
        pair = json.load(f)
    for m in (MARKER, "SFOTHER-0123456789abcdef-longer-secret-value"):
        tmp = tempfile.mkdtemp(prefix="sf-canary-diff-")
        try:
            write_tree(tmp, m)
            os.makedirs(os.path.join(tmp, "repo", "pair"))
            with open(os.path.join(tmp, "repo", "pair", "terraform.tfstate"), "w") as f:
                json.dump(set_secrets(pair, m), f, indent=2)
            got = []
            for fmt in ("text", "json", "graph-json"):
                p = subprocess.run([binary, "scan", "--format", fmt, "--fail-on", "none", "repo"],
                                   cwd=tmp, capture_output=True, timeout=120)
                got.append((fmt, p.returncode, p.stdout, p.stderr))
            outs.append(got)
        finally:
            shutil.rmtree(tmp)
    for (fmt, rc1, out1, err1), (_, rc2, out2, err2) in zip(*outs):
        if (rc1, out1, err1) != (rc2, out2, err2):
            failures.append("differential: %s output depends on the secret values" % fmt)
    if b'"fingerprint"' not in outs[0][1][2]:
        failures.append("differential: the JSON run has no fingerprints to compare")
    return failures


def main():
    binary, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="sf-canary-")
    failures = []
    try:
        write_tree(tmp, MARKER)
        # Broken files whose parse error sits right at the secret.
        os.makedirs(os.path.join(tmp, "broken"))
        with open(os.path.join(tmp, "broken", "a.tfstate"), "w") as f:
            f.write('{"version": 4, "terraform_version": "1.5.7", "resources": [{"password": "%s' % MARKER)
        with open(os.path.join(tmp, "broken", "b.tfstate"), "w") as f:
            f.write('{"version": 4, "terraform_version": "1.5.7", "x": %s}' % MARKER)
        with open(os.path.join(tmp, "broken", "c.tfstate"), "w") as f:
            f.write('{"version": "%s", "terraform_version": "1.5.7"}' % MARKER)

        extra_dirs = sys.argv[3:]   # more trees to scan (other importers' canaries)
        runs = []
        for target in ["repo"] + ["broken"] + extra_dirs:
            for fmt in ("text", "json", "graph-json"):
                runs.append(["scan", "--format", fmt, "--fail-on", "none", "--keep-going",
                             "--report", os.path.join(tmp, "report-" + fmt), target])
        for args in runs:
            p = subprocess.run([binary] + args, cwd=tmp, capture_output=True, timeout=120)
            if p.returncode not in (0, 1, 2):
                failures.append("%s: exit %d\n%s" % (args, p.returncode, p.stderr.decode(errors="replace")))
            for name, data in (("stdout", p.stdout), ("stderr", p.stderr)):
                if MARKER.encode() in data:
                    failures.append("%s: marker in %s" % (" ".join(args), name))
        for root, _, files in os.walk(tmp):
            if "/repo" in root or "/broken" in root:
                continue
            for fn in files:
                with open(os.path.join(root, fn), "rb") as f:
                    if MARKER.encode() in f.read():
                        failures.append("marker in report file %s" % fn)
        # Sanity: the canary state was really imported (the test can fail).
        # (the state alone: beside its show -json export, every address is
        # in two inputs and its keys are qualified by the file's path)
        p = subprocess.run([binary, "scan", "--format", "graph-json", "repo/state/terraform.tfstate"], cwd=tmp,
                           capture_output=True, timeout=120)
        g = json.loads(p.stdout)
        keys = {n["key"] for n in g["nodes"]}
        for want in ("aws_db_instance.main", "random_string.s", "aws_lb.api"):
            if want not in keys:
                failures.append("canary state not imported: %s missing" % want)
        # ... and its JSON strings and nested blocks were really read.
        edges = {(e["from"], e["kind"], e["to"]) for e in g["edges"]}
        for want in (("aws_ecs_task_definition.canary", "reads_secret",
                      "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"),
                     ("aws_ecs_task_definition.canary", "reads_secret",
                      "arn:aws:secretsmanager:us-east-1:111122223333:secret:registry-XyZ123"),
                     ("aws_iam_role.canary", "administered_by", "account:aws/999988887777"),
                     ("aws_iam_role.canary", "authenticates_via", "cognito-identity:us-east-1:0f1e2d3c"),
                     ("aws_route53_zone.z", "administered_by", "aws_iam_role.canary"),
                     ("aws_lb_listener.marked", "authenticates_via", "idp:https://login.example.com"),
                     ("aws_lb_listener.unmarked", "authenticates_via", "idp:https://login.example.com"),
                     ("aws_cognito_identity_provider.oidc", "authenticates_via",
                      "idp:https://idp.example.com")):
            if want not in edges:
                failures.append("canary state not analysed: no edge %s -%s-> %s" % want)
        if b"container_definitions is not valid JSON" not in p.stderr:
            failures.append("no warning for the broken container_definitions")
        # The whole-block resources were imported, their blocks not read.
        for want in ("aws_lb_listener.block", "aws_lb_target_group.block"):
            if want not in keys:
                failures.append("canary state not imported: %s missing" % want)
        for e in edges:
            if e[0] == "aws_lb_listener.block" and e[1] == "authenticates_via":
                failures.append("a block marked sensitive was read: %s -%s-> %s" % e)
        for n in g["nodes"]:
            if n["key"] == "aws_lb_target_group.block" and "resource_path" in n.get("attributes", {}):
                failures.append("a block marked sensitive was read: target group health check path")
        failures.extend(differential(binary, src))
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("canary: no secret in any output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
