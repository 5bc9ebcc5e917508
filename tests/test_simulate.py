#!/usr/bin/env python3
"""`sharedfate simulate` and `sharedfate domains` on fixtures/sim-game-day and
the SF110 fixtures. Every expected outcome below was worked out by hand from
the fixture (tests/tools/redundancy_fixtures.py builds it):

  api    primary: ALB api-use1 in us-east-1 (account 111122223333), instances
         in us-east-1a/b; standby: ALB api-usw2 in us-west-2 in the DR account
         444455556666, instances in us-west-2a/b.
  login  primary: ALB login-blue, standby: ALB login-green, both in us-east-1
         and account 111122223333; blue's instances in us-east-1a/b, green's
         in us-east-1c/d.
  Both names are in one Route 53 zone served by Route 53 alone.
"""
import json
import os
import subprocess
import sys

API_P = "dns:api-use1-2b3c4d5e6f.us-east-1.elb.amazonaws.com."
API_S = "dns:api-usw2-9c8b7a6f5e.us-west-2.elb.amazonaws.com."
LOGIN_P = "dns:login-blue-3c4d5e6f7a.us-east-1.elb.amazonaws.com."
LOGIN_S = "dns:login-green-0d9c8b7a6f.us-east-1.elb.amazonaws.com."


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    game = "fixtures/sim-game-day"
    failures = []

    def run(args):
        p = subprocess.run([binary] + args, cwd=src, capture_output=True, timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def simulate(fails, fixture=game):
        args = ["simulate", "--format", "json"]
        for f in fails:
            args += ["--fail", f]
        rc, out, err = run(args + [fixture])
        doc = json.loads(out) if rc in (0, 1) else None
        if doc is not None and doc.get("schema") != "sharedfate/simulation/v1":
            failures.append("%s: schema %r" % (fails, doc.get("schema")))
        return rc, doc, err

    def expect(fails, want_rc, want, fixture=game):
        """want: service -> (outcome, serving, [(side, plane, path)...])"""
        rc, doc, err = simulate(fails, fixture)
        label = " ".join(fails)
        if rc != want_rc:
            failures.append("%s: exit %d, expected %d\n%s" % (label, rc, want_rc, err))
            return
        got = {s["service"]: (s["outcome"], s["serving"],
                              [(b["side"], b["plane"], b["path"]) for b in s["because"]])
               for s in doc["services"]}
        if set(doc) != {"schema", "failed", "services"}:
            failures.append("%s: top-level keys %s" % (label, sorted(doc)))
        for s in doc["services"]:
            if set(s) != {"service", "name", "outcome", "serving", "because"}:
                failures.append("%s: service keys %s" % (label, sorted(s)))
        for svc, w in want.items():
            if got.get(svc) != w:
                failures.append("%s: %s is\n  %r\nexpected\n  %r" % (label, svc, got.get(svc), w))

    # us-east-1 fails. api's primary ALB lies in it: down; its standby lies in
    # us-west-2 and another account, so api serves through it (degraded: no
    # redundancy left). login's two ALBs both lie in us-east-1: down. Exit 1.
    expect(["region=us-east-1"], 1, {
        "api.example.com": ("degraded", "standby",
                            [("primary", "data", [API_P, "aws_lb.api-use1", "region:aws/us-east-1"])]),
        "login.example.com": ("down", None,
                              [("primary", "data", [LOGIN_P, "aws_lb.login-blue", "region:aws/us-east-1"]),
                               ("standby", "data", [LOGIN_S, "aws_lb.login-green", "region:aws/us-east-1"])]),
    })
    # The same by key gives the same outcome.
    rc1, a, _ = simulate(["region=us-east-1"])
    rc2, b, _ = simulate(["region:aws/us-east-1"])
    if (rc1, a) != (rc2, b):
        failures.append("region=us-east-1 and region:aws/us-east-1 differ")

    # The account 111122223333 is suspended: a control-plane failure
    # (member_of). Nothing stops serving, so both serve through the primary,
    # but neither primary can be recovered or changed: degraded, and the path
    # says why. Nothing is down: exit 0.
    expect(["account=111122223333"], 0, {
        "api.example.com": ("degraded", "primary",
                            [("primary", "control", [API_P, "aws_lb.api-use1", "account:aws/111122223333"])]),
        "login.example.com": ("degraded", "primary",
                              [("primary", "control", [LOGIN_P, "aws_lb.login-blue", "account:aws/111122223333"])]),
    })

    # us-west-2 fails: only api's standby is there; both primaries serve.
    expect(["region=us-west-2"], 0, {
        "api.example.com": ("serves", "primary", []),
        "login.example.com": ("serves", "primary", []),
    })

    # One zone: every target group keeps an instance elsewhere.
    expect(["az=us-east-1a"], 0, {
        "api.example.com": ("serves", "primary", []),
        "login.example.com": ("serves", "primary", []),
    })
    # us-east-1a and 1b together: login-blue's target group loses both its
    # instances (an ANY gate with nothing left), green's in 1c/1d serve;
    # api's primary target group likewise, its standby serves.
    tg = "aws_lb_target_group"
    rc, doc, err = simulate(["az=us-east-1a", "az=us-east-1b"])
    got = {s["service"]: (s["outcome"], s["serving"]) for s in doc["services"]} if doc else {}
    if rc != 0 or got != {"api.example.com": ("degraded", "standby"),
                          "login.example.com": ("degraded", "standby")}:
        failures.append("two zones: exit %d, %r\n%s" % (rc, got, err))
    elif not any(tg + ".login-blue" in b["path"] for s in doc["services"] for b in s["because"]):
        failures.append("two zones: login's path does not go through its target group")
    if doc and doc["failed"] != ["az:aws/us-east-1a", "az:aws/us-east-1b"]:
        failures.append("two zones: failed %r" % doc["failed"])

    # The only DNS provider of the zone: neither name answers.
    expect(["dnsprovider:route53"], 1, {
        "api.example.com": ("down", None, [("name", "data", ["aws_route53_zone.main", "dnsprovider:route53"])]),
        "login.example.com": ("down", None, [("name", "data", ["aws_route53_zone.main", "dnsprovider:route53"])]),
    })

    # SF110's sets, simulated: identical pools lose both sides only when all
    # three origins fail; two of three origins shared leave the fallback.
    ips = ["ip:198.51.100.10", "ip:198.51.100.11", "ip:198.51.100.12"]
    expect(ips[:2], 0, {"api.example.com": ("serves", "primary", [])},
           fixture="fixtures/tf-sf110-identical-origins")
    rc, doc, _ = simulate(ips, fixture="fixtures/tf-sf110-identical-origins")
    if rc != 1 or doc["services"][0]["outcome"] != "down":
        failures.append("identical origins, all three failed: exit %d" % rc)
    rc, doc, _ = simulate(ips, fixture="fixtures/tf-sf110-two-of-three")
    if rc != 0 or doc["services"][0]["serving"] != "standby":
        failures.append("two of three origins: exit %d, %r" % (rc, doc and doc["services"]))

    # Usage: no --fail, a key that names nothing, a selector that matches
    # nothing, an unknown format: exit 2 with a message.
    for args, msg in ((["simulate", game], "--fail"),
                      (["simulate", "--fail", "aws_kms_key.none", game], "no node has this key"),
                      (["simulate", "--fail", "region=mars-1", game], "no node matches"),
                      (["simulate", "--fail", "category=nonsense", game], "no node has this key"),
                      (["simulate", "--format", "xml", "--fail", "region=us-east-1", game], "--format")):
        rc, out, err = run(args)
        if rc != 2 or msg not in err:
            failures.append("%s: exit %d, stderr %r" % (args, rc, err))

    # Text output: deterministic and saying the same.
    rc, t1, _ = run(["simulate", "--fail", "region=us-east-1", game])
    rc2, t2, _ = run(["simulate", "--fail", "region=us-east-1", game])
    if t1 != t2 or "login.example.com: down" not in t1 or \
            "api.example.com: degraded, serving through the standby" not in t1:
        failures.append("simulate text:\n" + t1)

    # domains: region us-east-1 takes both sides of login down and api's
    # primary; the account blocks recovery (control plane) of login's both
    # sides and api's primary; Route 53, the zone's only provider, takes
    # both names down. Sorted by services losing both sides.
    rc, out, err = run(["domains", "--format", "json", game])
    doc = json.loads(out) if rc == 0 else {}
    if doc.get("schema") != "sharedfate/domains/v1":
        failures.append("domains: exit %d, %s" % (rc, err))
    else:
        by = {d["domain"]: d for d in doc["domains"]}
        want = {
            "region:aws/us-east-1": ("data", ["login.example.com"], ["api.example.com"], []),
            "account:aws/111122223333": ("control", ["login.example.com"], ["api.example.com"], []),
            "account:aws/444455556666": ("control", [], [], ["api.example.com"]),
            "region:aws/us-west-2": ("data", [], [], ["api.example.com"]),
            "dnsprovider:route53": ("data", ["api.example.com", "login.example.com"], [], []),
            "aws_lb.login-blue": ("data", [], ["login.example.com"], []),
        }
        for k, w in want.items():
            d = by.get(k)
            got = d and (d["plane"], d["lose_both"], d["lose_primary"], d["lose_standby"])
            if got != w:
                failures.append("domains %s: %r, expected %r" % (k, got, w))
        both = [len(d["lose_both"]) for d in doc["domains"]]
        if both != sorted(both, reverse=True):
            failures.append("domains not sorted by services losing both sides: %r" % both)
        if doc["domains"][0]["domain"] != "dnsprovider:route53":
            failures.append("domains: first is %s" % doc["domains"][0]["domain"])
        # an availability zone alone takes no side down (ANY over two zones)
        if any(k.startswith("az:") for k in by):
            failures.append("domains lists a zone that takes nothing down")

    # the shared AZs of SF110 are no single domain: each takes nothing down
    rc, out, _ = run(["domains", "--format", "json", "fixtures/tf-sf110-shared-azs"])
    doms = [d["domain"] for d in json.loads(out)["domains"]] if rc == 0 else None
    if doms is None or "region:aws/us-east-1" not in doms or any(d.startswith("az:") for d in doms):
        failures.append("domains of tf-sf110-shared-azs: %r" % doms)

    for f in failures:
        print("FAIL", f)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
