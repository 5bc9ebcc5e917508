#!/usr/bin/env python3
"""SF110's parameters as a rule file sets them: order (2..4) bounds the
sets, budget bounds the work per pair and says so when hit, and bad values
are refused with the rule file's line. Runs the real binary on
fixtures/tf-sf110-identical-origins and on generated pools."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
import redundancy_fixtures as rf  # noqa: E402
import tfstate_fixtures as tf  # noqa: E402


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []
    with open(os.path.join(src, "rules", "builtin", "SF110.yaml")) as f:
        builtin = f.read()

    def scan(rules_text, path):
        with tempfile.TemporaryDirectory() as d:
            args = [binary, "scan", "--format", "json", "--fail-on", "none"]
            if rules_text is not None:
                with open(os.path.join(d, "SF110.yaml"), "w") as f:
                    f.write(rules_text)
                args += ["--rules", d]
            p = subprocess.run(args + [path], cwd=src, capture_output=True, timeout=120)
        sets = []
        if p.returncode == 0:
            sets = [f["shared"] for f in json.loads(p.stdout)["findings"] if f["rule"] == "SF110"]
        return p.returncode, sets, p.stderr.decode()

    same = "fixtures/tf-sf110-identical-origins"
    ips = ["ip:198.51.100.10", "ip:198.51.100.11", "ip:198.51.100.12"]
    rc, sets, err = scan(None, same)
    if (rc, sets) != (0, [ips]):
        failures.append("built-in: exit %d, %r %s" % (rc, sets, err))
    # order 2: three origins are beyond it
    rc, sets, err = scan(builtin.replace("order: 3", "order: 2"), same)
    if (rc, sets) != (0, []):
        failures.append("order 2: exit %d, %r %s" % (rc, sets, err))
    for old, bad, msg in (("order: 3", "order: 5", "order must be 2, 3 or 4"),
                          ("order: 3", "order: one", "order must be"),
                          ("budget: 2000000", "budget: 10", "budget must be")):
        rc, _, err = scan(builtin.replace(old, bad), same)
        if rc != 2 or msg not in err or "SF110.yaml:" not in err:
            failures.append("%s: exit %d, %r" % (bad, rc, err))

    with tempfile.TemporaryDirectory() as d:
        # Two pools over the same four origins: one set of four, found at
        # order 4 only; and pools of 40 shared origins, whose search needs
        # far more than a budget of 1,000 steps.
        four = ["192.0.2.%d" % i for i in range(1, 5)]
        p4 = os.path.join(d, "four", "terraform.tfstate")
        tf.write(p4, tf.state(rf.cf_pools("t4", {"a": four, "b": list(four)}, "a", "b")))
        rc, sets, err = scan(None, p4)
        if (rc, sets) != (0, []):
            failures.append("four origins at order 3: %r" % sets)
        rc, sets, err = scan(builtin.replace("order: 3", "order: 4"), p4)
        if (rc, sets) != (0, [["ip:" + a for a in four]]):
            failures.append("four origins at order 4: exit %d, %r %s" % (rc, sets, err))

        many = ["198.18.0.%d" % i for i in range(1, 41)]
        pm = os.path.join(d, "many", "terraform.tfstate")
        tf.write(pm, tf.state(rf.cf_pools("tm", {"a": many, "b": list(many)}, "a", "b")))
        rc, sets, err = scan(builtin.replace("budget: 2000000", "budget: 1000"), pm)
        if rc != 0 or "SF110 stopped after 1000 steps" not in err or "40 common" not in err:
            failures.append("budget 1000: exit %d, %r" % (rc, err))
        rc, sets, err = scan(None, pm)
        if rc != 0 or sets or "stopped" in err:
            failures.append("40 origins, default budget: exit %d, %r %s" % (rc, sets, err))

    for f in failures:
        print("FAIL", f)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
