#!/usr/bin/env python3
"""Writes a zone file of exactly N records in the shapes a large BIND estate
has: hosts with A and AAAA records (some with several addresses), CNAME
chains, MX, SPF and verification TXT, SRV, delegations with glue, and
`$ORIGIN`/`$TTL` switching between departments.

  python3 tests/bench/gen_zone.py N OUT [ORIGIN]
"""
import sys


def records(origin):
    """An endless stream of (text, count): a directive has count 0."""
    yield "$ORIGIN %s" % origin, 0
    yield "$TTL 3600", 0
    yield ("@ IN SOA ns1.%s hostmaster.%s ( 2024010101 7200 3600 1209600 300 )"
           % (origin, origin)), 1
    for ns in ("ns-1536.awsdns-00.co.uk.", "ns-0.awsdns-00.com.", "ns-1024.awsdns-00.org.",
               "ns-512.awsdns-00.net."):
        yield "@ IN NS %s" % ns, 1
    dept = 0
    while True:
        # a department: its own $ORIGIN and $TTL, about 1000 records
        yield "$ORIGIN d%d.%s" % (dept, origin), 0
        yield "$TTL %d" % (300 if dept % 2 else 86400), 0
        for i in range(100):
            h = "h%d" % i
            a, b = dept % 250, i
            yield "%s IN A 10.%d.%d.%d" % (h, a, b // 250, b % 250 + 1), 1
            yield "%s 60 IN AAAA 2001:db8:%x::%x" % (h, dept, i + 1), 1
            if i % 10 == 0:
                yield "%s IN A 10.%d.%d.%d" % (h, a, 200 + b // 250, b % 250 + 1), 1
            # a chain of names that end at the host
            yield "www%d IN CNAME app%d" % (i, i), 1
            yield "app%d IN CNAME %s" % (i, h), 1
            yield "%s IN MX 10 mx1.%s" % (h, origin), 1
            yield '%s IN TXT "v=spf1 include:_spf.%s ~all"' % (h, origin.rstrip(".")), 1
            yield "_sip._tcp.%s IN SRV 10 60 5060 %s" % (h, h), 1
            if i % 10 == 5:
                # a delegation with glue
                sub = "sub%d" % i
                yield "%s IN NS ns1.%s" % (sub, sub), 1
                yield "ns1.%s IN A 192.0.2.%d" % (sub, i + 1), 1
                yield '%s IN TXT "google-site-verification=%032x"' % (h, dept * 1000 + i), 1
        dept += 1


def main():
    n = int(sys.argv[1])
    origin = sys.argv[3] if len(sys.argv) > 3 else "example.com."
    written = 0
    with open(sys.argv[2], "w") as f:
        for text, count in records(origin):
            if written + count > n:
                break
            f.write(text + "\n")
            written += count
    # a stream that ends on a directive stops one record short; pad with hosts
    with open(sys.argv[2], "a") as f:
        for i in range(n - written):
            f.write("pad%d IN A 10.255.%d.%d\n" % (i, i // 250 % 250, i % 250 + 1))


if __name__ == "__main__":
    main()
