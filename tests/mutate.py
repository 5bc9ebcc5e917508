#!/usr/bin/env python3
"""Mutation check: does the suite notice small, plausible bugs?

Copies the checkout (the files git knows, as they are on disk) into a
scratch directory, builds it once, then for each mutation below: applies
it, rebuilds, runs a chosen subset of the suite, and restores the file. A
mutation the subset does not notice is a *survivor*: a bug the suite would
let through. Not part of the default run (it rebuilds once per mutation).

  tests/mutate.py [--tests REGEX] [--only REGEX] [--keep]

--tests is the ctest -R pattern (default: unit, golden and the cli, canary
and hostile script tests); --only runs the mutations whose name matches
REGEX. Exit 0 when every mutation is killed, 1 when some survive, 2
when a mutation no longer applies (its text is gone from the file: update
the list).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_TESTS = r"^(unit/|golden/|script/test_(cli|canary|hostile))"

# (name, file, text, replacement): the text must occur exactly once.
MUTATIONS = [
    ("v4 sensitive ancestor path ignored", "importers/tf_path.c",
     "\t\tif (same)\n\t\t\treturn 1;", "\t\tif (same && plen >= n)\n\t\t\treturn 1;"),
    ("show -json `true` on an ancestor ignored", "importers/tf_path.c",
     "\t\t\tif (json_is_true(m))\n\t\t\t\treturn 1;", "\t\t\tif (json_is_true(m) && k == n)\n\t\t\t\treturn 1;"),
    ("numeric comparison off by one (61 accepted at 60)", "analyzer/checks.c",
     "c = x < y ? -1 : x > y ? 1 : 0;", "c = x < y ? -1 : x > y + 1 ? 1 : 0;"),
    ("rotation_enabled = false counted as rotating", "importers/tf_aws_secrets.c",
     'if (tf_bool(in, "rotation_enabled") == 0 || !sid', 'if (!sid'),
    ("Cloudflare disabled origins used", "importers/tf_cloudflare.c",
     'if (tf_path_bool(in, "origins.%zu.enabled", i) == 0)', 'if (tf_path_bool(in, "origins.%zu.enabled", i) == 2)'),
    ("authenticate_cognito ignored", "importers/tf_aws.c",
     '"%s.%zu.authenticate_cognito.0.user_pool_arn"', '"%s.%zu.authenticate_cognito.0.user_pool"'),
    ("disabled health check judged by its type", "analyzer/checks_health_check.c",
     'off = !inverted && attr_is(g, e->to, "disabled", "true");', "off = 0;"),
    ("inverted health check judged by its type", "analyzer/checks_health_check.c",
     'inverted = attr_is(g, e->to, "inverted", "true");', "inverted = 0;"),
    ("evaluate_target_health never covers", "analyzer/checks_health_check.c",
     "return ok && judged > 0;", "return 0;"),
    ("evaluate_target_health covers with no target check", "analyzer/checks_health_check.c",
     "return ok && judged > 0;", "return ok;"),
    ("a TCP target group counts as readiness", "analyzer/checks_health_check.c",
     '"HTTP", "HTTPS", "HTTP2",', '"HTTP", "HTTPS", "HTTP2", "TCP",'),
    ("target groups' health checks not imported", "importers/tf_aws.c",
     'if (!json_is_false(tf_path_get(in, "health_check.0.enabled"))) {', "if (0) {"),
    ("SF108 claims nothing", "analyzer/checks_reaches.c",
     "\thit.claims = 1;", "\thit.claims = 0;"),
    ("standby that is the primary's endpoint not SF108", "analyzer/checks_reaches.c",
     "\tfor (size_t k = 0; k < p->nstandby && !hit.nsp; k++)\n\t\thit.nsp",
     "\tfor (size_t k = 0; k < p->nstandby && !hit.nsp; k++)\n\t\tif (p->standby[k]->root != proot)\n\t\thit.nsp"),
    ("what lies behind a claimed primary reported again", "analyzer/checks_shared.c",
     "primary_claimed = ctx->claimed[proot];", "primary_claimed = 0;"),
    ("workload trust treated as administration", "analyzer/checks_shared.c",
     "\tif (!nroles)\n\t\treturn 0;", "\tif (nroles || !nroles)\n\t\treturn 0;"),
    ("administering roles treated as workloads", "analyzer/checks_shared.c",
     "\t\tif (!admin)\n\t\t\troles[nroles++] = e->from;", "\t\troles[nroles++] = e->from;"),
    ("topmost rule: blocked nodes ignored", "analyzer/checks_shared.c",
     "\t\t\tctx->blocked[s->node] = 1;\n\t}", "\t\t\t;\n\t}"),
    ("wildcard: the rest matched as a prefix", "analyzer/checks_cert_coverage.c",
     "return (size_t)(name + nl - dot) == rl &&", "return (size_t)(name + nl - dot) >= rl &&"),
    ("replica in the standby's region ignored", "analyzer/checks_replica_region.c",
     "strcmp(reg, home) == 0 || in_list(copies, home))", "strcmp(reg, home) == 0)"),
    ("one provider among two reported", "analyzer/checks_single_provider.c",
     "if (providers != 1)", "if (providers < 1)"),
    ("chain length limit off by one", "analyzer/checks_unresolved.c",
     "if (names > SF_DNS_MAX_CHAIN + 1 ||", "if (names > SF_DNS_MAX_CHAIN + 2 ||"),
    ("missing_edge's unless ignored", "analyzer/checks_missing_edge.c",
     "strcmp(u, r->unless_value) == 0)\n\t\treturn 0;", "strcmp(u, r->unless_value) == 1)\n\t\treturn 0;"),
    ("incomplete pair check inverted", "analyzer/checks_pair_incomplete.c",
     "if (p->primary && p->nstandby)", "if (p->primary || p->nstandby)"),
    ("attribute `in` never matches", "analyzer/checks.c",
     "if (strcmp(have, rule_value(ctx, r->values[i], buf, sizeof(buf))) == 0)",
     "if (strcmp(have, rule_value(ctx, r->values[i], buf, sizeof(buf))) == 1)"),
    ("members: the standby skipped", "analyzer/checks.c",
     "for (size_t i = 0; i < p->nstandby && r->subject != SF_SUBJECT_PRIMARY && n < max; i++)",
     "for (size_t i = 0; i < p->nstandby && r->subject == SF_SUBJECT_STANDBY && n < max; i++)"),
    ("node set path loses its root", "analyzer/nodeset.c",
     "\tfor (sf_node_id v = k; v != SF_NODE_NONE && len <= s->count; v = sf_nodeset_get(s, v))\n\t\tlen++;",
     "\tfor (sf_node_id v = k; v != SF_NODE_NONE && len <= s->count; v = sf_nodeset_get(s, v))\n\t\tlen++;\n\tlen -= len > 1;"),
]


def sh(cmd, cwd, log=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if log is not None:
        log.append(p.stdout.decode(errors="replace"))
    return p.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tests", default=DEFAULT_TESTS)
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()

    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    work = tempfile.mkdtemp(prefix="sf-mutate-")
    tree = os.path.join(work, "src")
    # The scratch tree sits where the checkout did relative to ../shared,
    # so that corpus tests find (or skip) the same corpora.
    files = subprocess.run(["git", "ls-files", "-z"], cwd=src, stdout=subprocess.PIPE,
                           check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if not os.path.exists(os.path.join(src, f)):
            continue
        os.makedirs(os.path.dirname(os.path.join(tree, f)) or tree, exist_ok=True)
        shutil.copy2(os.path.join(src, f), os.path.join(tree, f))
    build = os.path.join(tree, "build")
    log = []
    if (sh(["cmake", "-S", ".", "-B", "build", "-DSF_WERROR=ON"], tree, log) != 0 or
            sh(["cmake", "--build", "build", "-j2"], tree, log) != 0):
        print("the unmutated tree does not build:\n" + log[-1][-3000:])
        return 2
    if sh(["ctest", "-j2", "-R", args.tests], build, log) != 0:
        print("the unmutated tree fails the chosen tests:\n" + log[-1][-3000:])
        return 2

    killed, survivors, stale = [], [], []
    todo = [m for m in MUTATIONS if re.search(args.only, m[0])]
    for name, path, text, repl in todo:
        full = os.path.join(tree, path)
        with open(full) as f:
            orig = f.read()
        if orig.count(text) != 1:
            stale.append(name)
            print("STALE    %s (%s: text found %d times)" % (name, path, orig.count(text)))
            continue
        with open(full, "w") as f:
            f.write(orig.replace(text, repl))
        try:
            if sh(["cmake", "--build", "build", "-j2"], tree) != 0:
                verdict = "killed (does not build)"
            elif sh(["ctest", "-j2", "-R", args.tests], build) != 0:
                verdict = "killed"
            else:
                verdict = "SURVIVED"
        finally:
            with open(full, "w") as f:
                f.write(orig)
        (survivors if verdict == "SURVIVED" else killed).append(name)
        print("%-9s %s (%s)" % (verdict.split()[0], name, path), flush=True)
    sh(["cmake", "--build", "build", "-j2"], tree)

    print("\n%d mutations: %d killed, %d survived, %d stale" %
          (len(todo), len(killed), len(survivors), len(stale)))
    for s in survivors:
        print("  survivor: " + s)
    if args.keep:
        print("scratch tree: " + tree)
    else:
        shutil.rmtree(work)
    if stale:
        return 2
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
