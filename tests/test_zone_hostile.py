#!/usr/bin/env python3
"""Hostile zone inputs of issue 9, generated here (nothing large is kept in
the repository); each asserts the outcome and a bound on the work that does
not depend on the machine's speed, with a generous wall-time ceiling:

- `$INCLUDE terraform.tfstate` as text inside a parenthesised TXT record is
  not an include: the state is still imported (it used to vanish).
- five small zones of 16 `$GENERATE 0-65535` lines each: refused at the
  default budget of generated records with a message naming the limit; with
  --zone-max-generated N --keep-going the graph holds exactly the N generated
  names per zone that fit (the budget is checked before a range is expanded,
  so no more is ever made).
- --zone-max-records N: a zone with more records is refused, naming the limit;
  a bad value for either option is a usage error.
argv: sharedfate binary, source directory.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

STATE = {
    "version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l", "outputs": {},
    "resources": [{
        "mode": "managed", "type": "aws_lb", "name": "edge",
        "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
        "instances": [{"schema_version": 0, "attributes": {
            "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge/1",
            "dns_name": "edge-1.us-east-1.elb.amazonaws.com"}}]}],
}
HEAD = ("$ORIGIN %s\n$TTL 300\n@ IN SOA ns1.example.net. h 1 7200 3600 1209600 300\n"
        "  IN NS ns1.example.net.\n")


def run(binary, args, cwd, ceiling=300):
    t0 = time.monotonic()
    p = subprocess.run([binary, "scan", "--color", "never"] + args, cwd=cwd,
                       capture_output=True, timeout=ceiling)
    return p, time.monotonic() - t0


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        # $INCLUDE inside parentheses is text, not a directive
        d = os.path.join(tmp, "paren")
        os.mkdir(d)
        with open(os.path.join(d, "terraform.tfstate"), "w") as f:
            json.dump(STATE, f)
        with open(os.path.join(d, "example.com.zone"), "w") as f:
            f.write(HEAD % "example.com." + 'note TXT ( "a"\n$INCLUDE terraform.tfstate\n )\n')
        p, _ = run(binary, ["--format", "graph-json", "."], d)
        keys = [n["key"] for n in json.loads(p.stdout or b'{"nodes":[]}')["nodes"]]
        if p.returncode not in (0, 1) or "aws_lb.edge" not in keys:
            failures.append("paren: the state was not imported (exit %d)\n%s"
                            % (p.returncode, p.stderr.decode(errors="replace")))

        # $GENERATE budget
        d = os.path.join(tmp, "generate")
        os.mkdir(d)
        for z in range(5):
            with open(os.path.join(d, "z%d.example.zone" % z), "w") as f:
                f.write(HEAD % ("z%d.example." % z))
                for i in range(16):
                    f.write("$GENERATE 0-65535 h%d-$ A 10.%d.0.1\n" % (i, i))
        p, secs = run(binary, ["."], d)
        err = p.stderr.decode(errors="replace")
        if p.returncode != 2 or err.count("--zone-max-generated") != 5:
            failures.append("generate: want exit 2 and one limit message per zone, got %d\n%s"
                            % (p.returncode, err))
        # ranges that fit a small budget: five lines of 1000 per zone, no more
        budget = 5000
        d = os.path.join(tmp, "generate-small")
        os.mkdir(d)
        for z in range(5):
            with open(os.path.join(d, "z%d.example.zone" % z), "w") as f:
                f.write(HEAD % ("z%d.example." % z))
                for i in range(16):
                    f.write("$GENERATE 0-999 h%d-$ A 10.%d.0.1\n" % (i, i))
        p, secs2 = run(binary, ["--format", "graph-json", "--keep-going",
                                "--zone-max-generated", str(budget), "."], d)
        nodes = json.loads(p.stdout)["nodes"] if p.stdout else []
        names = [n for n in nodes if n["key"].startswith("dns:h")]
        if p.returncode != 2 or len(names) != 5 * budget:
            failures.append("generate: %d generated names for a budget of %d per zone"
                            % (len(names), budget))
        print("generate: default budget %.1f s, budget %d: %d names in %.1f s"
              % (secs, budget, len(names), secs2))

        # record cap and option values
        d = os.path.join(tmp, "records")
        os.mkdir(d)
        with open(os.path.join(d, "example.com.zone"), "w") as f:
            f.write(HEAD % "example.com.")
            for i in range(3000):
                f.write("h%d A 192.0.2.1\n" % i)
        p, _ = run(binary, ["--zone-max-records", "1000", "."], d)
        err = p.stderr.decode(errors="replace")
        if p.returncode != 2 or "more than 1000 records" not in err or \
                "--zone-max-records" not in err:
            failures.append("records: want exit 2 naming the limit, got %d\n%s"
                            % (p.returncode, err))
        p, _ = run(binary, ["--zone-max-records", "5000", "."], d)
        if p.returncode not in (0, 1):
            failures.append("records: refused under a limit it does not reach (%d)"
                            % p.returncode)
        for bad in ("0", "-1", "ten", "99999999999999999999"):
            for opt in ("--zone-max-records", "--zone-max-generated"):
                p, _ = run(binary, [opt, bad, "."], d)
                if p.returncode != 2 or opt.encode() not in p.stderr:
                    failures.append("%s %s: want a usage error naming the option" % (opt, bad))
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
