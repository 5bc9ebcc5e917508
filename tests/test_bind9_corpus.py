#!/usr/bin/env python3
"""BIND's own checkzone corpus (../shared/corpora/bind9-checkzone): sharedfate
must accept and refuse the same good*/bad* zone files as `named-checkzone -i
local` (bind9-utils; without -i local it looks delegations up on the
network), apart from the differences listed in ACCEPTED with their reasons.

For the files both accept, the owner names sharedfate puts in its graph must
be the names named-checkzone -D prints: $GENERATE, $ORIGIN, escapes and
relative names come out the same.

The corpus stays where it is: the files are copied into a temporary
directory with a sharedfate.yaml giving each file the origin BIND's own
driver (tests.sh.reference) uses. Skipped (77) when the corpus or
named-checkzone is absent. argv: sharedfate binary, source directory.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Origins as tests.sh.reference passes them; everything else is "example".
ORIGINS = {
    "good-dns-sd-reverse.db": "0.0.0.0.in-addr.arpa",
    "bad-dns-sd-reverse.db": "0.0.0.0.in-addr.arpa",
    "bad-svcb-servername.db": "0.0.0.0.in-addr.arpa",
    "good-rpz-prefix.db": "db",
    "bad-rpz-prefix.db": "db",
    "bad-svcb.db": "db",
    "bad-svcb-mandatory.db": "db",
    "bad-tkey.db": "db",
    "bad-unspec.db": "db",
    "bad-nsec3-length.db": "db",
    "bad-nsec3-padded.db": "db",
    "bad-nsec3owner-padded.db": "db",
    "bad1.db": "db", "bad2.db": "db", "bad3.db": "db", "bad4.db": "db",
}
for i in range(1, 7):
    ORIGINS["bad-svcb-alpn%d.db" % i] = "db"

# Files where sharedfate and named-checkzone (BIND 9.18, Debian 12) differ,
# and why that is acceptable. "refuses": sharedfate refuses what BIND
# accepts; "accepts": the reverse.
ACCEPTED = {
    # libzscanner is stricter about what it parses:
    "good-dns-sd-reverse.db": ("refuses", "PTR target '!@#3.': libzscanner takes an "
                               "unescaped '@' inside a name as an error, BIND as a character"),
    "bad-dns-sd-reverse.db": ("refuses", "same '!@#3.' targets; BIND refuses them only with "
                              "-k fail (check-names), which this test does not pass"),
    "good-nsap.db": ("refuses", "libzscanner 3.2 does not know the obsolete NSAP type (RFC 1706)"),
    "good-nsec3-nopadhash.db": ("refuses", "libzscanner wants base32hex padding in NSEC3 data"),
    "good-svcb.db": ("refuses", "libzscanner 3.2 does not know the SVCB key dohpath (RFC 9461)"),
    "bad-_dns-svcb1.db": ("refuses", "the same dohpath key; BIND 9.18 accepts the file, newer "
                          "BIND refuses it for its _dns SVCB rules"),
    "bad-cname-and-key.db": ("refuses", "libzscanner refuses the KEY record's base64; BIND 9.18 "
                             "allows KEY beside a CNAME, newer BIND does not"),
    "bad-eui48-no-leading-zero.db": ("refuses", "libzscanner is as strict as newer BIND about "
                                     "EUI48 syntax; BIND 9.18 is not"),
    "bad-eui48-trailing-garbage.db": ("refuses", "as above"),
    "bad-eui64-no-leading-zero.db": ("refuses", "as above, EUI64"),
    "bad-eui64-trailing-garbage.db": ("refuses", "as above, EUI64"),
    # BIND's semantic DNSSEC checks, which say nothing about failure domains:
    "bad-cds.db": ("accepts", "CDS/CDNSKEY consistency with the DNSKEY set is not checked"),
    "bad-cdnskey.db": ("accepts", "CDS/CDNSKEY consistency with the DNSKEY set is not checked"),
    "bad-ds.db": ("accepts", "a DS record at the apex is not checked"),
    "bad-nsec3-padded.db": ("accepts", "libzscanner accepts '=' padding in NSEC3 base32hex"),
}


def graph_owners(binary, path):
    p = subprocess.run([binary, "scan", "--format", "graph-json", path], capture_output=True,
                       timeout=60)
    g = json.loads(p.stdout)
    return sorted({n["key"][4:] for n in g["nodes"]
                   if n["key"].startswith("dns:") and n.get("location")})


def bind_owners(origin, path, cwd):
    p = subprocess.run(["named-checkzone", "-q", "-i", "local", "-D", "-o", "-", origin, path],
                       capture_output=True, timeout=60, cwd=cwd)
    names = set()
    for line in p.stdout.decode(errors="replace").splitlines():
        if line and not line.startswith(";"):
            names.add(line.split()[0].lower())
    return sorted(names)


def main():
    binary, src = sys.argv[1], sys.argv[2]
    corpus = os.path.normpath(os.path.join(src, "..", "shared", "corpora", "bind9-checkzone"))
    if not os.path.isdir(corpus):
        print("skipped: %s is absent" % corpus)
        return 77
    if not shutil.which("named-checkzone"):
        print("skipped: named-checkzone (bind9-utils) is not installed")
        return 77
    files = sorted(f for f in os.listdir(corpus)
                   if f.endswith(".db") and (f.startswith("good") or f.startswith("bad")))
    failures, diffs, agree, stale = [], [], 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            shutil.copy(os.path.join(corpus, f), os.path.join(tmp, f))
        with open(os.path.join(tmp, "sharedfate.yaml"), "w") as m:
            m.write("version: 1\nzones:\n")
            for f in files:
                m.write("  - file: %s\n    origin: %s\n" % (f, ORIGINS.get(f, "example")))
        for f in files:
            origin = ORIGINS.get(f, "example")
            path = os.path.join(tmp, f)
            b = subprocess.run(["named-checkzone", "-i", "local", origin, f], cwd=tmp,
                               capture_output=True, timeout=60)
            try:
                s = subprocess.run([binary, "scan", "--format", "json", "--color", "never", path],
                                   capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                failures.append("%s: sharedfate hangs" % f)
                continue
            err = s.stderr.decode(errors="replace")
            if s.returncode not in (0, 1, 2):
                failures.append("%s: exit code %d (crash?)\n%s" % (f, s.returncode, err))
                continue
            if s.returncode == 2 and not any(l.startswith(path + ":") and ": error: " in l
                                             for l in err.splitlines()):
                failures.append("%s: refused without a 'file:line: error:' diagnostic:\n%s"
                                % (f, err))
            bind_ok, sf_ok = b.returncode == 0, s.returncode != 2
            if bind_ok == sf_ok:
                agree += 1
                if f in ACCEPTED:
                    stale.append(f)
                if bind_ok:
                    got, want = graph_owners(binary, path), bind_owners(origin, f, tmp)
                    if got != want:
                        failures.append("%s: owner names differ from named-checkzone -D:\n"
                                        "  only sharedfate: %s\n  only BIND: %s"
                                        % (f, sorted(set(got) - set(want))[:5],
                                           sorted(set(want) - set(got))[:5]))
                continue
            how = "refuses" if bind_ok else "accepts"
            if ACCEPTED.get(f, (None,))[0] == how:
                diffs.append("%s: sharedfate %s (%s)" % (f, how, ACCEPTED[f][1]))
            else:
                failures.append("%s: BIND %s it, sharedfate %s it\n%s" % (
                    f, "accepts" if bind_ok else "refuses", how.rstrip("s") + "s", err.strip()))
    print("%d files: %d agree, %d accepted differences" % (len(files), agree, len(diffs)))
    for d in diffs:
        print("  " + d)
    for f in stale:
        # named-checkzone of another version may agree where 9.18 does not.
        print("  note: %s is listed in ACCEPTED but now agrees" % f)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
