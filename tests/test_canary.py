#!/usr/bin/env python3
"""Canary: plant a unique marker in every place a Terraform state keeps a
secret, run every output of the tool, and assert the marker appears nowhere:
not in the findings (text, JSON), the graph dump, the report folder, or the
diagnostics. Also plants it where a parse error would quote the input.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MARKER = "SFCANARY-7f3a9c2e41b8d605"
AWS = 'provider["registry.terraform.io/hashicorp/aws"]'


def inst(attrs, sensitive=(), **kw):
    d = {"schema_version": 0, "attributes": attrs,
         "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive],
         "private": "bnVsbA=="}
    d.update(kw)
    return d


def res(type_, name, *instances, provider=AWS):
    return {"mode": "managed", "type": type_, "name": name, "provider": provider,
            "instances": list(instances)}


def secret_state():
    m = MARKER
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
        ],
    }


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


def main():
    binary, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="sf-canary-")
    failures = []
    try:
        st = secret_state()
        os.makedirs(os.path.join(tmp, "repo", "state"))
        with open(os.path.join(tmp, "repo", "state", "terraform.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        with open(os.path.join(tmp, "repo", "state", "show.json"), "w") as f:
            json.dump(show_json(st), f)
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
        p = subprocess.run([binary, "scan", "--format", "graph-json", "repo"], cwd=tmp,
                           capture_output=True, timeout=120)
        g = json.loads(p.stdout)
        keys = {n["key"] for n in g["nodes"]}
        for want in ("aws_db_instance.main", "random_string.s", "aws_lb.api"):
            if want not in keys:
                failures.append("canary state not imported: %s missing" % want)
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("canary: no secret in any output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
