#!/usr/bin/env python3
"""The zone text libzscanner reads in one piece, by callback: the records
of a large zone go that way until the first thing the entry layer must
see, and libzscanner follows $INCLUDE by itself in that mode. Checks:

- no spelling of $INCLUDE at a line's start (case, blanks, a form feed, a
  lone CR, after another directive, inside parentheses) brings in a file
  from outside the scanned tree: only the entry layer reads includes;
- where the piece ends (an error, a directive of the entry layer, a text
  without a last newline, the record limit), every line number said after
  it is the file's own.

  test_zone_whole_text.py BINARY SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

HEAD = "$ORIGIN example.com.\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"

SPELLINGS = [
    "$INCLUDE {evil}",
    "$include {evil}",
    "\f$INCLUDE {evil}",
    " \t$INCLUDE {evil}",
    "a2 IN A 192.0.2.9\r$INCLUDE {evil}",
    "$TTL 60 $INCLUDE {evil}",
    "b IN TXT ( \"x\"\n$INCLUDE {evil}\n)",
    "$InClUdE {evil} example.com.",
]

# (text, --zone-max-records or None, lines that must be said)
LINES = [
    (HEAD + "a IN A 192.0.2.1\nb IN A 192.0.2.999\nc IN CNAME a\nc IN A 192.0.2.3\n", None,
     ["example.com.zone:4: error:", "example.com.zone:6: error: CNAME and other data"]),
    (HEAD + "a IN A 192.0.2.1\nb IN CNAME a\nb IN A 192.0.2.2", None,
     ["example.com.zone:5: error: CNAME and other data: b.example.com. has a CNAME (line 4)"]),
    (HEAD + "a IN A 192.0.2.1\nb IN TXT (\n \"x\" )\n$GENERATE 1-2 h$ A 192.0.2.$\nc IN CNAME a\n"
     "c IN A 192.0.2.3\n", None, ["example.com.zone:8: error: CNAME and other data"]),
    (HEAD + "a IN A 192.0.2.1\nb IN A 192.0.2.2\nc IN A 192.0.2.3\n", 2,
     ["example.com.zone:4: error: more than 2 records"]),
]


def scan(binary, root, extra, full):
    env = dict(os.environ)
    env.pop("SHAREDFATE_ZONE_GRAPH", None)
    if full:
        env["SHAREDFATE_ZONE_GRAPH"] = "full"
    p = subprocess.run([binary, "scan", "--format", "graph-json", "--keep-going"] + extra +
                       ["example.com.zone"], cwd=root, capture_output=True, timeout=60, env=env)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main():
    binary = os.path.abspath(sys.argv[1])
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "tree")
        os.mkdir(root)
        evil = os.path.join(tmp, "evil.zone")
        with open(evil, "w") as f:
            f.write("evil IN A 192.0.2.66\n")
        zone = os.path.join(root, "example.com.zone")
        for s in SPELLINGS:
            with open(zone, "w", newline="") as f:
                f.write(HEAD + "a IN A 192.0.2.1\n" + s.format(evil=evil) + "\nc IN A 192.0.2.3\n")
            rc, out, err = scan(binary, root, [], True)
            if "evil" in out or "192.0.2.66" in out or rc not in (0, 1, 2):
                print("FAIL: %r brought in the outside file (exit %d)" % (s, rc))
                bad += 1
        for text, limit, want in LINES:
            with open(zone, "w", newline="") as f:
                f.write(text)
            extra = ["--zone-max-records", str(limit)] if limit else []
            rc, out, err = scan(binary, root, extra, False)
            for w in want:
                if w not in err:
                    print("FAIL: %r: no %r in:\n%s" % (text, w, err))
                    bad += 1
    if bad:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
