#!/usr/bin/env python3
"""Secrets never reach any output, whatever shape a pull request gives them.

A listener's OIDC issuer is marked sensitive in every way Terraform can
spell it and in shapes Terraform never writes: the issuer must not appear in
the graph, the findings or the diagnostics. A control run without the mark
shows the issuer does reach the graph when it is not sensitive, so each case
can fail. JSON errors inside a value never quote a byte of it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
SECRET = "idp-s3cr3t-marker"
ISSUER = "https://%s.example.com/" % SECRET
ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2"


def ga(name):
    return {"type": "get_attr", "value": name}


def ix(i):
    return {"type": "index", "value": {"value": i, "type": "number"}}


def oidc(bare):
    block = {"issuer": ISSUER, "client_id": "c", "client_secret": "cs",
             "authorization_endpoint": "https://a.example.com/auth"}
    action = {"type": "authenticate-oidc", "order": 1,
              "authenticate_oidc": block if bare else [block]}
    return [action]


def v4(attrs, sens):
    inst = {"schema_version": 0, "attributes": attrs}
    if sens is not None:
        inst["sensitive_attributes"] = sens
    return json.dumps({"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l",
                       "outputs": {}, "resources": [{
                           "mode": "managed", "type": "aws_lb_listener", "name": "l",
                           "provider": AWS, "instances": [inst]}]})


def show(values, sens):
    res = {"address": "aws_lb_listener.l", "mode": "managed", "type": "aws_lb_listener",
           "name": "l", "provider_name": "registry.terraform.io/hashicorp/aws",
           "schema_version": 0, "values": values}
    if sens is not None:
        res["sensitive_values"] = sens
    return json.dumps({"format_version": "1.0", "terraform_version": "1.5.7",
                       "values": {"root_module": {"resources": [res]}}})


def listener(bare):
    return {"arn": ARN, "port": 443, "protocol": "HTTPS", "default_action": oidc(bare)}


OIDC_PATH = [ga("default_action"), ix(0), ga("authenticate_oidc"), ix(0), ga("issuer")]


def cases():
    """(name, file text, expect the secret hidden)"""
    yield "control-v4", v4(listener(False), []), False
    yield "control-v4-bare", v4(listener(True), []), False
    yield "control-show", show(listener(False), {}), False
    yield "v4-list", v4(listener(False), [OIDC_PATH]), True
    # The state writes the block as a bare object; the path has no [0] for it.
    yield "v4-bare-object", v4(listener(True), [
        [ga("default_action"), ix(0), ga("authenticate_oidc"), ga("issuer")]]), True
    # The path has the [0] but the block is a bare object.
    yield "v4-bare-object-indexed-path", v4(listener(True), [OIDC_PATH]), True
    # A list in the state, a path that skips its index: cannot line up, fail closed.
    yield "v4-path-skips-index", v4(listener(False), [
        [ga("default_action"), ix(0), ga("authenticate_oidc"), ga("issuer")]]), True
    yield "v4-ancestor", v4(listener(False), [[ga("default_action")]]), True
    yield "v4-ancestor-element", v4(listener(True), [[ga("default_action"), ix(0)]]), True
    yield "v4-old-index-form", v4(listener(True), [
        [ga("default_action"), {"type": "index", "value": 0}, ga("authenticate_oidc")]]), True
    # Shapes Terraform never writes: the whole instance is sensitive.
    yield "v4-flat-path", v4(listener(False), [ga("default_action")]), True
    yield "v4-object", v4(listener(False), {"default_action": True}), True
    yield "v4-true", v4(listener(False), True), True
    yield "v4-names", v4(listener(False), ["default_action"]), True
    yield "v4-nested-names", v4(listener(False), [["default_action"]]), True
    yield "v4-unknown-step", v4(listener(False), [[{"type": "splat", "value": "x"}]]), True
    yield "v4-string", v4(listener(False), "default_action"), True
    # terraform show -json: the sensitive_values mirror.
    yield "show-list", show(listener(False), {"default_action": [
        {"authenticate_oidc": [{"issuer": True}]}]}), True
    yield "show-bare-values", show(listener(True), {"default_action": [
        {"authenticate_oidc": [{"issuer": True}]}]}), True
    yield "show-bare-mirror", show(listener(False), {"default_action": [
        {"authenticate_oidc": {"issuer": True}}]}), True
    yield "show-bare-both", show(listener(True), {"default_action": [
        {"authenticate_oidc": {"issuer": True}}]}), True
    yield "show-ancestor-true", show(listener(False), {"default_action": True}), True
    yield "show-element-true", show(listener(False), {"default_action": [True]}), True
    yield "show-block-true", show(listener(True), {"default_action": [
        {"authenticate_oidc": True}]}), True
    yield "show-true", show(listener(False), True), True
    yield "show-list-of-names", show(listener(False), ["default_action"]), True
    yield "show-string", show(listener(False), "default_action"), True
    yield "show-string-inside", show(listener(False), {"default_action": "yes"}), True


def run(binary, cwd, args):
    return subprocess.run([binary, "scan"] + args, cwd=cwd, capture_output=True, timeout=60)


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="sf-secrets-")
    failures = []
    try:
        for name, text, hidden in cases():
            d = os.path.join(tmp, name)
            os.makedirs(d)
            fname = "show.json" if name.startswith(("show", "control-show")) else "terraform.tfstate"
            with open(os.path.join(d, fname), "w") as f:
                f.write(text)
            outs = []
            for fmt in ("graph-json", "json", "text"):
                p = run(binary, tmp, ["--format", fmt, "--fail-on", "none", name])
                if p.returncode != 0:
                    failures.append("%s: exit %d\n%s" % (name, p.returncode, p.stderr.decode()[:800]))
                outs.append(p.stdout + p.stderr)
            seen = any(SECRET.encode() in o for o in outs)
            if hidden and seen:
                failures.append("%s: the sensitive issuer reached the output" % name)
            if not hidden and not seen:
                failures.append("%s: control run: the issuer should reach the graph" % name)
            print("%-28s %s" % (name, "shown" if seen else "hidden"))

        # A JSON error inside a secret value never prints a byte of it.
        bad = {
            "utf8": b'{"version": 4, "terraform_version": "1.5.7", "resources": [], '
                    b'"x": {"password": "hunter\xc3\x28secret"}}',
            "control": b'{"version": 4, "terraform_version": "1.5.7", "resources": [], '
                       b'"x": {"password": "hunter\x1fsecret"}}',
            "escape": b'{"version": 4, "terraform_version": "1.5.7", "resources": [], '
                      b'"x": {"password": "hunter\\ud834\\u0041"}}',
            "bad-escape": b'{"version": 4, "terraform_version": "1.5.7", "resources": [], '
                          b'"x": {"password": "hunter\\qsecret"}}',
            "token": b'{"version": 4, "terraform_version": "1.5.7", "resources": [], '
                     b'"x": {"password": hunter2secret}}',
        }
        for name, data in bad.items():
            d = os.path.join(tmp, "json-" + name)
            os.makedirs(d)
            with open(os.path.join(d, "terraform.tfstate"), "wb") as f:
                f.write(data)
            p = run(binary, tmp, ["json-" + name])
            err = p.stderr
            if p.returncode != 2 or b"invalid JSON" not in err:
                failures.append("json-%s: exit %d %r" % (name, p.returncode, err[:300]))
            for leak in (b"0xc3", b"0x1f", b"c3", b"hunter", b"secret", b"D834", b"d834", b"0041",
                         b"\\q", b"'q'"):
                if leak in err:
                    failures.append("json-%s: the error quotes the value (%r): %r"
                                    % (name, leak, err[:300]))
            print("json-%-23s exit %d  %s" % (name, p.returncode, err.decode(errors="replace").strip()))
        # The same for XML: libxml2 quotes bytes and entity names.
        xml = (b'<?xml version="1.0"?>\n<ListResourceRecordSetsResponse xmlns="https://route53.'
               b'amazonaws.com/doc/2013-04-01/"><ResourceRecordSets><ResourceRecordSet><Name>a.'
               b'example.com.</Name><Type>TXT</Type><ResourceRecords><ResourceRecord><Value>'
               b'%s</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>'
               b'</ResourceRecordSets></ListResourceRecordSetsResponse>\n')
        for name, value in (("utf8", b"hunter\xc3\x28secret"), ("entity", b"&huntersecret;")):
            d = os.path.join(tmp, "xml-" + name)
            os.makedirs(d)
            with open(os.path.join(d, "records.xml"), "wb") as f:
                f.write(xml % value)
            p = run(binary, tmp, ["xml-" + name])
            err = p.stderr
            if p.returncode != 2 or b"invalid XML" not in err:
                failures.append("xml-%s: exit %d %r" % (name, p.returncode, err[:300]))
            for leak in (b"0xC3", b"0xc3", b"hunter", b"secret"):
                if leak in err:
                    failures.append("xml-%s: the error quotes the value (%r): %r"
                                    % (name, leak, err[:300]))
            print("xml-%-24s exit %d  %s" % (name, p.returncode, err.decode(errors="replace").strip()))
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("no secret reached any output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
