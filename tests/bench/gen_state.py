#!/usr/bin/env python3
"""Writes a Terraform state (format 4, as `terraform state pull` writes it)
of N failover services in the shapes the AWS provider v5 really stores,
built from the same resource writers as the fixtures
(tests/tools/tfstate_fixtures.py): per service a Route 53 PRIMARY/SECONDARY
pair with a health check over two regional stacks, each an ALB, an HTTPS
listener with an ACM certificate and OIDC sign-in, a target group, an ECS
service and its task definition with secrets; roles, a Secrets Manager
secret and KMS keys (`for_each` over regions). Every stack lives in a
module instance of a `for_each` (`module.svc["name-use1"]`). Every tenth
standby shares its primary's secret, every seventh its execution role.
Every fifth service's two target groups also serve one fleet of three
instances in three availability zones: shared redundancy (SF110), which
the analysis must find for each of those pairs at order 3.

  python3 tests/bench/gen_state.py N OUT
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import tfstate_fixtures as tf  # noqa: E402
import redundancy_fixtures as rf  # noqa: E402

REGIONS = ("us-east-1", "us-west-2")
ZONE_ID = "Z0123456789ABCDEFGHIJ"


def kms_for_each(name, i):
    """aws_kms_key.NAME with for_each over the regions: one resource, one
    instance per region, each with its index_key."""
    instances, arns = [], {}
    for region in REGIONS:
        key_id = "%s-%04x-4%03x-8%03x-%012x" % (tf.stable_hex("k%d%s" % (i, region), 8), i % 65536,
                                               i % 4096, i % 4096, i)
        r, arn = tf.kms_key(name, key_id, region, description="%s secrets" % name)
        inst = r["instances"][0]
        inst["index_key"] = region
        instances.append(inst)
        arns[region] = arn
    return tf.res("aws_kms_key", name, {}, instances=instances), arns


def service(i):
    name = "svc%05d" % i
    tfname = name
    issuer = "https://login%d.example.com" % (i % 50)
    keys, key_arns = kms_for_each(tfname, i)
    rs = [keys, tf.health_check(tfname + "_primary", "0f1c2d3e-4b5a-6978-8a9b-%012x" % i,
                                name + "-use1.example.com")]
    sec_arn = {}
    for region in REGIONS:
        s, arn = tf.secret(tfname + "_" + region[3:5], "prod/%s/db" % name, region,
                           tf.stable_hex(name + region, 6), kms_key_id=key_arns[region])
        rs.append(s)
        sec_arn[region] = arn
    exec_r, exec_arn = tf.role(tfname + "_exec", name + "-ecs-execution")
    rs.append(exec_r)
    sides = []
    for k, region in enumerate(REGIONS):
        short = "use1" if k == 0 else "usw2"
        mod = 'module.svc["%s-%s"]' % (name, short)
        task_r, task_arn = tf.role(tfname + "_task_" + short, "%s-task-%s" % (name, short))
        task_r["module"] = mod
        own = sec_arn[region]
        if k == 1 and i % 10 == 0:
            own = sec_arn[REGIONS[0]]          # the standby reads the primary's secret
        exe = exec_arn
        if k == 1 and i % 7 != 0:
            dr, exe = tf.role(tfname + "_exec_dr", name + "-ecs-execution-dr")
            dr["module"] = mod
            rs.append(dr)
        stack, dns, lbz = tf.service_stack(
            "%s-%s" % (name, short), region, tf.stable_hex(name + region, 16), "this",
            ("%s-%s.example.com" % (name, short), ["%s.example.com" % name]),
            oidc=tf.auth_oidc(issuer, "client-secret-%d" % i), task_role=task_arn, exec_role=exe,
            secrets=[("DB_PASSWORD", own + ":password::")], module=mod)
        for r in stack:
            r.setdefault("module", mod)
        if i % 5 == 0:
            tg_arn = stack[1]["instances"][0]["attributes"]["arn"]
            # the fleet, not the ECS service, is what the target group serves
            stack[1]["instances"][0]["attributes"]["target_type"] = "instance"
            for r in stack:
                if r["type"] == "aws_ecs_service":
                    r["instances"][0]["attributes"]["load_balancer"] = []
            att = rf.attachment("fleet", tg_arn, "", 0)
            att["instances"] = []
            for z, az in enumerate("abc"):
                iid = "i-%08x%09x" % (i, z)
                if k == 0:
                    rs.append(rf.instance("%s_fleet_%s" % (tfname, az), iid, "us-east-1" + az,
                                          "10.%d.%d.%d" % (i // 65536 % 256, i // 256 % 256, i % 256)
                                          if z == 0 else "10.%d.%d.%d" % (100 + z, i // 256 % 256, i % 256)))
                att["instances"] += rf.attachment("fleet", tg_arn, iid, z)["instances"]
            for inst in att["instances"]:
                inst.pop("dependencies", None)
            att["module"] = mod
            rs.append(att)
        rs.append(task_r)
        rs += stack
        sides.append((dns, lbz))
    rs += tf.dns_pair(ZONE_ID, "%s.example.com" % name, tfname, sides[0], sides[1],
                      hc="0f1c2d3e-4b5a-6978-8a9b-%012x" % i)
    return rs


def main():
    n = int(sys.argv[1])
    rs = [tf.zone("example.com", ZONE_ID)]
    for i in range(n):
        rs += service(i)
    with open(sys.argv[2], "w") as f:
        json.dump(tf.state(rs), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
