#!/usr/bin/env python3
"""The command line: exit codes, usage errors, discovery rules (skipped
directories, symbolic links out of the tree, duplicates), --fail-on and
--report. Each check runs the real binary."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    fx = os.path.join(src, "fixtures")
    failures = []

    def run(args, cwd=src, want=None, out_has=None, err_has=None, name=None):
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=60)
        out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        label = name or " ".join(args)
        if want is not None and p.returncode != want:
            failures.append("%s: exit %d, expected %d\n%s" % (label, p.returncode, want, err))
        if out_has and out_has not in out:
            failures.append("%s: stdout lacks %r:\n%s" % (label, out_has, out[:1000]))
        if err_has and err_has not in err:
            failures.append("%s: stderr lacks %r:\n%s" % (label, err_has, err[:1000]))
        return p.returncode, out, err

    run(["version"], want=0, out_has="sharedfate ")
    run(["--version"], want=0, out_has="sharedfate ")
    run(["help"], want=0, out_has="commands:")
    run([], want=2, err_has="usage:")
    run(["frobnicate"], want=2, err_has="unknown command")
    run(["scan", "--help"], want=0, out_has="--fail-on")
    run(["scan", "--bogus"], want=2, err_has="unknown option")
    run(["scan", "--format"], want=2, err_has="needs a value")
    run(["scan", "--format", "xml", "fixtures/demo"], want=2, err_has="unknown format")
    run(["scan", "--fail-on", "severe", "fixtures/demo"], want=2, err_has="unknown severity")
    # Every subcommand that scans answers the same mistakes the same way,
    # and an option's text reaches the terminal with its escapes made visible.
    for sub, fmt in (("graph", "svg"), ("domains", "text"), ("simulate", "text")):
        extra = ["--fail", "region=us-east-1"] if sub == "simulate" else []
        run([sub, "--bogus"], want=2, err_has="unknown option '--bogus'")
        run([sub, "--format"], want=2, err_has="needs a value")
        run([sub] + extra + ["--format", "xml", "fixtures/demo"], want=2,
            err_has="unknown format 'xml' (")
        run([sub] + extra + ["--format", "x\x1b[31m", "fixtures/demo"], want=2,
            err_has="unknown format 'x\\x1b[31m'", name=sub + " escaped format")
        rc, _, err = run([sub, "--\x1b]0;pwned\x07"], want=2, name=sub + " escaped option")
        if "\x1b" in err or "\x07" in err:
            failures.append("%s: a control character reached the terminal: %r" % (sub, err))
    run(["scan", "--ttl-threshold", "-3", "fixtures/demo"], want=2, err_has="ttl-threshold")
    run(["scan", "no/such/path"], want=2, err_has="no/such/path: error: cannot open")
    run(["explain", "SF104"], want=0, out_has="How to fix")
    run(["explain", "shared-region"], want=0, out_has="SF107")
    run(["explain", "SF999"], want=2, err_has="no rule")
    run(["rules"], want=0, out_has="SF206")

    # --fail-on: the demo has high findings and no critical ones.
    run(["scan", "fixtures/demo"], want=1)
    run(["scan", "--fail-on", "critical", "fixtures/demo"], want=0)
    run(["scan", "--fail-on", "none", "fixtures/demo"], want=0)
    # Each threshold on both sides of a fixture's highest finding: one
    # medium SF105, one low SF111.
    run(["scan", "fixtures/tf-sf105-admin-trust"], want=0)
    run(["scan", "--fail-on", "high", "fixtures/tf-sf105-admin-trust"], want=0)
    run(["scan", "--fail-on", "medium", "fixtures/tf-sf105-admin-trust"], want=1)
    run(["scan", "--fail-on", "medium", "fixtures/tf-sf105-trusted-account"], want=0)
    run(["scan", "--fail-on", "low", "fixtures/tf-sf105-trusted-account"], want=1)
    run(["scan", "--fail-on", "info", "fixtures/tf-clean-pair"], want=0)
    # --ttl-threshold moves SF204: the demo's 300 s TTL is accepted at 300
    # and reported at 299 (the boundary, both sides).
    _, out, _ = run(["scan", "--format", "json", "--ttl-threshold", "300", "fixtures/demo"])
    if any(f["rule"] == "SF204" for f in json.loads(out)["findings"]):
        failures.append("--ttl-threshold 300 still reports a 300 s TTL")
    _, out, _ = run(["scan", "--format", "json", "--ttl-threshold", "299", "fixtures/demo"])
    if not any(f["rule"] == "SF204" and "300" in f["message"] for f in json.loads(out)["findings"]):
        failures.append("--ttl-threshold 299 does not report a 300 s TTL")

    tmp = tempfile.mkdtemp(prefix="sf-cli-")
    try:
        repo = os.path.join(tmp, "repo")
        os.makedirs(repo)
        shutil.copy(os.path.join(fx, "tf-shared-lb", "terraform.tfstate"), os.path.join(repo, "main.tfstate"))
        for skipped in (".git", ".terraform", "node_modules"):
            os.makedirs(os.path.join(repo, skipped))
            shutil.copy(os.path.join(fx, "tf-invalid-json", "terraform.tfstate"),
                        os.path.join(repo, skipped, "broken.tfstate"))
        # A state outside the tree, reached by links: never read.
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)
        shutil.copy(os.path.join(fx, "tf-invalid-json", "terraform.tfstate"), os.path.join(outside, "x.tfstate"))
        os.symlink(os.path.join(outside, "x.tfstate"), os.path.join(repo, "link.tfstate"))
        os.symlink(outside, os.path.join(repo, "linkdir"))
        os.symlink("../repo", os.path.join(repo, "loop"))
        # A link to a file inside the tree: one input, not two.
        os.symlink("main.tfstate", os.path.join(repo, "alias.tfstate"))
        rc, out, err = run(["scan", "--format", "json", "repo"], cwd=tmp, name="scan repo")
        if rc != 1:
            failures.append("scan repo: exit %d\n%s" % (rc, err))
        else:
            paths = [i["path"] for i in json.loads(out)["inputs"]]
            if paths != ["repo/main.tfstate"]:
                failures.append("scan repo: inputs %s" % paths)
        if "link.tfstate: warning: symbolic link leads outside the scanned tree" not in err:
            failures.append("no warning for the link out of the tree:\n" + err)
        # The same tree named twice, and a file in it named explicitly.
        rc, out, _ = run(["scan", "--format", "json", "repo", "repo/", "repo/main.tfstate"], cwd=tmp,
                         name="overlapping paths")
        if rc != 1:
            failures.append("overlapping paths: exit %d" % rc)
        elif len(json.loads(out)["inputs"]) != 1:
            failures.append("overlapping paths imported %d times" % len(json.loads(out)["inputs"]))
        # An explicitly named file of no known format.
        with open(os.path.join(tmp, "notes.txt"), "w") as f:
            f.write("hello\n")
        run(["scan", "notes.txt"], cwd=tmp, want=2, err_has="notes.txt: error: not a recognised input format")
        # --report writes the JSON; -o writes the output file.
        run(["scan", "--report", "rep", "-o", "out.txt", "repo"], cwd=tmp, want=1)
        with open(os.path.join(tmp, "rep", "findings.json")) as f:
            if json.load(f)["schema"] != "sharedfate/findings/v1":
                failures.append("--report: wrong schema")
        with open(os.path.join(tmp, "out.txt")) as f:
            if "SF108" not in f.read():
                failures.append("-o: text report lacks SF108")
        run(["scan", "-o", "/nonexistent-dir/x", "repo"], cwd=tmp, want=2, err_has="cannot write")
        # --keep-going: the bad input still gives exit 2, findings are printed.
        bad = os.path.join(tmp, "mixed")
        os.makedirs(bad)
        shutil.copy(os.path.join(fx, "tf-shared-lb", "terraform.tfstate"), os.path.join(bad, "a.tfstate"))
        shutil.copy(os.path.join(fx, "tf-invalid-json", "terraform.tfstate"), os.path.join(bad, "b.tfstate"))
        run(["scan", "mixed"], cwd=tmp, want=2)
        rc, out, _ = run(["scan", "--keep-going", "mixed"], cwd=tmp, want=2)
        if "SF108" not in out:
            failures.append("--keep-going printed no findings")
        # FIFOs named like inputs (a state, the manifest, an $INCLUDE) are
        # never opened for reading: no hang.
        fifo = os.path.join(tmp, "fifo")
        os.makedirs(fifo)
        for n in ("sharedfate.yaml", "a.tfstate", "hosts.inc"):
            os.mkfifo(os.path.join(fifo, n))
        with open(os.path.join(fifo, "db.example"), "w") as f:
            f.write("$ORIGIN example.com.\n$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n$INCLUDE hosts.inc\n")
        try:
            p = subprocess.run([binary, "scan", "fifo"], cwd=tmp, capture_output=True, timeout=20)
            if p.returncode != 2 or b"not a regular file" not in p.stderr:
                failures.append("fifo: exit %d %r" % (p.returncode, p.stderr[:500]))
        except subprocess.TimeoutExpired:
            failures.append("fifo: hang")
        # No input at all is not an error, but says so.
        os.makedirs(os.path.join(tmp, "empty"))
        run(["scan", "empty"], cwd=tmp, want=0, err_has="no inputs found")
        # Only SARIF points at .tf sources: another format never walks the
        # tree for them (a zone beside thousands of files meets none).
        big = os.path.join(tmp, "big")
        os.makedirs(os.path.join(big, "many"))
        for i in range(300):
            open(os.path.join(big, "many", "f%d.txt" % i), "w").close()
        with open(os.path.join(big, "db.zone"), "w") as f:
            f.write("$ORIGIN example.com.\n$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 192.0.2.1\n")
        env = dict(os.environ, SHAREDFATE_STATS="1")
        for fmt, lo, hi in (("json", 0, 0), ("text", 0, 0), ("sarif", 300, 10 ** 9)):
            p = subprocess.run([binary, "scan", "--format", fmt, "--fail-on", "none", "big/db.zone"],
                               cwd=tmp, capture_output=True, timeout=60, env=env)
            seen = [int(l.split()[-1]) for l in p.stderr.decode(errors="replace").splitlines()
                    if l.startswith("sharedfate: stat: tflocate_entries ")]
            if p.returncode != 0 or len(seen) != 1 or not lo <= seen[0] <= hi:
                failures.append("tflocate walk with --format %s: exit %d, entries %r, expected %d..%d"
                                % (fmt, p.returncode, seen, lo, hi))
    finally:
        shutil.rmtree(tmp)

    if failures:
        print("FAIL\n" + "\n\n".join(failures))
        return 1
    print("cli: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
