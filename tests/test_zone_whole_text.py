#!/usr/bin/env python3
"""The zone text libzscanner reads in one piece, by callback: the records
of a large zone go that way until the first thing the entry layer must
see, and libzscanner follows $INCLUDE by itself in that mode. Checks:

- no spelling of $INCLUDE at a line's start (case, blanks, a form feed, a
  lone CR, after another directive, inside parentheses) brings in a file
  from outside the scanned tree: only the entry layer reads includes;
- where the piece ends (an error, a directive of the entry layer, a text
  without a last newline, the record limit), every line number said after
  it is the file's own, in a short text and past many thousands of bytes.

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


# Where the piece ends past many 4080-byte stretches of text (the newlines
# are counted a stretch at a time): a multi-line record, then an error, then
# records the entry layer reads. Lines 3..702 are the filler; the TXT takes
# 703-704, the bad record 705. The zone holds exactly 704 records, so a
# record read twice (the entry layer starting too early) passes a limit of
# 704 and one skipped (too late) loses a line below.
FILLER = "".join("h%d IN A 192.0.2.%d\n" % (i, i % 250 + 1) for i in range(700))
LONG = (HEAD + FILLER + "m IN TXT ( \"a\"\n \"b\" )\nx IN A 192.0.2.999\n"
        "c IN CNAME h1\nc IN A 192.0.2.3\n")
# (text, --zone-max-records or None, every error said (each line starts so),
# words that must not be said)
LONG_LINES = [
    (LONG, 704, ["example.com.zone:705: error: A record: invalid IPv4 address",
                 "example.com.zone:707: error: CNAME and other data: c.example.com. has a CNAME "
                 "(line 706) and a A record (line 707)"], ["more than"]),
    (LONG, 703, ["example.com.zone:705: error:",
                 "example.com.zone:707: error: more than 703 records"], ["CNAME and other"]),
]


def near(size):
    """Whole filler lines after HEAD up to about `size` bytes of text."""
    lines = FILLER.splitlines(True)
    k = 0
    while len(HEAD) + len("".join(lines[:k + 1])) <= size:
        k += 1
    return "".join(lines[:k])


# the error on the line that ends the first stretch, and on the one after it
for cut in (4060, 4080, 4100, 8170, 8180):
    before = near(cut)
    LONG_LINES.append((HEAD + before + "y IN A 192.0.2.999\n" + FILLER, None,
                       ["example.com.zone:%d: error: A record" % (3 + before.count("\n"))], []))


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
        for text, limit, want, unwanted in [c + (None,) for c in LINES] + LONG_LINES:
            with open(zone, "w", newline="") as f:
                f.write(text)
            extra = ["--zone-max-records", str(limit)] if limit else []
            rc, out, err = scan(binary, root, extra, False)
            for w in want:
                if w not in err:
                    print("FAIL: %r: no %r in:\n%s" % (text[-200:], w, err))
                    bad += 1
            if unwanted is None:
                continue
            said = [l for l in err.splitlines() if ": error: " in l]
            if len(said) != len(want):
                print("FAIL: %r: %d errors said, %d expected:\n%s" % (text[-200:], len(said), len(want), err))
                bad += 1
            for w in unwanted:
                if w in err:
                    print("FAIL: %r: %r in:\n%s" % (text[-200:], w, err))
                    bad += 1
    if bad:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
