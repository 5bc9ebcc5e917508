#!/usr/bin/env python3
"""Golden test: run the real binary on one fixture and compare with what the
fixture says to expect.

A fixture directory holds the inputs and, beside them:
  expected.json    the `scan --format json` output, byte for byte
  expected.txt     the text output (optional)
  expected.stderr  the diagnostics (optional; otherwise stderr must be empty
                   unless expected.rc is 2)
  expected.rc      the exit code (optional; default 0 or 1 from the findings)
  args             extra scan arguments, one per line (optional)

The scan runs from the repository root on the fixture's path, so paths in the
output read `fixtures/<name>/...`. With SF_UPDATE_GOLDEN=1 the expected files
are rewritten instead (review the diff before committing).
"""
import os
import subprocess
import sys


def run(binary, root, fixture, fmt, extra):
    cmd = [binary, "scan", "--format", fmt, "--color", "never"] + extra + [fixture]
    p = subprocess.run(cmd, cwd=root, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    binary, root, fixture = sys.argv[1], sys.argv[2], sys.argv[3]
    fdir = os.path.join(root, fixture)
    update = os.environ.get("SF_UPDATE_GOLDEN") == "1"
    extra = []
    argsf = os.path.join(fdir, "args")
    if os.path.exists(argsf):
        with open(argsf) as f:
            extra = [l.rstrip("\n") for l in f if l.strip()]
    failures = []

    def check(name, got):
        path = os.path.join(fdir, name)
        if update:
            with open(path, "wb") as f:
                f.write(got)
            return
        if not os.path.exists(path):
            failures.append("%s: missing (run with SF_UPDATE_GOLDEN=1)" % name)
            return
        with open(path, "rb") as f:
            want = f.read()
        if want != got:
            failures.append("%s differs:\n--- want\n%s\n--- got\n%s" % (
                name, want.decode(errors="replace"), got.decode(errors="replace")))

    rc, out, err = run(binary, root, fixture, "json", extra)
    # Determinism: a second run gives the same bytes.
    rc2, out2, err2 = run(binary, root, fixture, "json", extra)
    if (rc, out, err) != (rc2, out2, err2):
        failures.append("two runs gave different output")
    if rc not in (0, 1, 2):
        failures.append("exit code %d (crash or internal error)\n%s" % (rc, err.decode(errors="replace")))
    rcf = os.path.join(fdir, "expected.rc")
    if update:
        if rc != 0 or os.path.exists(rcf):
            with open(rcf, "w") as f:
                f.write("%d\n" % rc)
    elif os.path.exists(rcf):
        with open(rcf) as f:
            want_rc = int(f.read().strip())
        if rc != want_rc:
            failures.append("exit code %d, expected %d\n%s" % (rc, want_rc, err.decode(errors="replace")))
    elif rc != 0 and rc != 1:
        failures.append("exit code %d\n%s" % (rc, err.decode(errors="replace")))
    if rc != 2 or os.path.exists(os.path.join(fdir, "expected.json")):
        check("expected.json", out)
    if os.path.exists(os.path.join(fdir, "expected.stderr")) or (update and err):
        check("expected.stderr", err)
    elif err:
        failures.append("unexpected stderr:\n" + err.decode(errors="replace"))
    if os.path.exists(os.path.join(fdir, "expected.txt")) or update:
        rc3, txt, _ = run(binary, root, fixture, "text", extra)
        check("expected.txt", txt)

    if failures:
        print("FAIL %s\n%s" % (fixture, "\n".join(failures)))
        return 1
    print("ok %s" % fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main())
