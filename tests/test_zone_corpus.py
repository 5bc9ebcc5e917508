#!/usr/bin/env python3
"""The project's own good/bad zone files (tests/zones/): every good-*
file imports without an error; every bad-* file is refused with exit code 2
and an error at the line its first comment names (`; error-line: N`), within
a time limit. When named-checkzone is installed, BIND must agree on each
verdict too, unless the file says why not (`; bind: reason`).
argv: sharedfate binary, source directory.
"""
import os
import re
import shutil
import subprocess
import sys


def header(path, key):
    with open(path, "rb") as f:
        for raw in f.read().split(b"\n")[:3]:
            m = re.match(rb";\s*" + key.encode() + rb":\s*(.*)", raw)
            if m:
                return m.group(1).decode().strip()
    return None


def main():
    binary, src = sys.argv[1], sys.argv[2]
    cdir = os.path.join(src, "tests", "zones")
    named = shutil.which("named-checkzone")
    failures = []
    files = sorted(f for f in os.listdir(cdir) if f.endswith(".zone"))
    for f in files:
        path = os.path.join("tests", "zones", f)
        good = f.startswith("good-")
        try:
            p = subprocess.run([binary, "scan", "--format", "json", "--color", "never", path],
                               cwd=src, capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            failures.append("%s: no answer within 30 s" % f)
            continue
        err = p.stderr.decode(errors="replace")
        if good and (p.returncode not in (0, 1) or ": error: " in err):
            failures.append("%s: refused (exit %d)\n%s" % (f, p.returncode, err))
        if not good:
            want = header(os.path.join(cdir, f), "error-line")
            if p.returncode != 2:
                failures.append("%s: accepted (exit %d)" % (f, p.returncode))
            elif not want or ("%s:%s: error: " % (path, want)) not in err:
                failures.append("%s: expected an error at line %s, got:\n%s" % (f, want, err))
        if named:
            b = subprocess.run([named, "-i", "local", "example.com", f], cwd=cdir,
                               capture_output=True, timeout=30)
            if (b.returncode == 0) != good and not header(os.path.join(cdir, f), "bind"):
                failures.append("%s: named-checkzone %s it" % (
                    f, "accepts" if b.returncode == 0 else "refuses"))
    print("%d zone files%s" % (len(files), "" if named else " (named-checkzone not installed)"))
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
