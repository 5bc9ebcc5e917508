#!/usr/bin/env python3
"""A short libFuzzer run of every importer fuzz target (tests/fuzz/fuzz_*.c)
from its seed corpus: each target mutates for SF_FUZZ_SECONDS (default 5)
and must end without a crash, leak, timeout or sanitizer report.

The targets come from the build beside the binary when it was configured
with -DSF_FUZZ=ON; otherwise they are built with clang in a temporary
directory. Without clang the test is skipped (77): the seed corpora still
replay in every build through the fuzz/* tests (tests/fuzz/replay.c).
New inputs go to a temporary copy, never into the source tree.
argv: sharedfate binary, source directory.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def targets(src):
    return sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(src, "tests", "fuzz", "fuzz_*.c")))


def build(src, tmp, names):
    b = os.path.join(tmp, "build")
    env = dict(os.environ, CC="clang")
    for cmd in (["cmake", "-S", src, "-B", b, "-DCMAKE_C_COMPILER=clang", "-DSF_FUZZ=ON",
                 "-DSF_BUILD_TESTS=OFF", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
                ["cmake", "--build", b, "-j2", "--target"] + names):
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
        if p.returncode != 0:
            print("FAIL: %s\n%s%s" % (" ".join(cmd), p.stdout.decode(errors="replace")[-3000:],
                                      p.stderr.decode(errors="replace")[-3000:]))
            return None
    return os.path.join(b, "tests", "fuzz")


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    seconds = int(os.environ.get("SF_FUZZ_SECONDS", "5"))
    names = targets(src)
    have = os.path.join(os.path.dirname(binary), "tests", "fuzz")
    with tempfile.TemporaryDirectory() as tmp:
        if all(os.path.exists(os.path.join(have, n)) for n in names):
            bindir = have
        elif not shutil.which("clang"):
            print("skipped: clang is not installed (the seed corpora replay in fuzz/*)")
            return 77
        else:
            bindir = build(src, tmp, names)
            if not bindir:
                return 1
        failures = []
        for n in names:
            corpus = os.path.join(tmp, "corpus-" + n)
            shutil.copytree(os.path.join(src, "tests", "fuzz", "corpus", n[len("fuzz_"):]), corpus)
            cmd = [os.path.join(bindir, n), "-max_total_time=%d" % seconds, "-timeout=10",
                   "-rss_limit_mb=2048", "-artifact_prefix=%s/" % tmp, corpus]
            if n == "fuzz_zone":
                cmd.insert(1, "-dict=" + os.path.join(src, "tests", "fuzz", "zone.dict"))
            p = subprocess.run(cmd, capture_output=True, timeout=seconds + 120, cwd=tmp)
            tail = p.stderr.decode(errors="replace").strip().splitlines()[-1:]
            print("%s: exit %d %s" % (n, p.returncode, tail[0] if tail else ""))
            if p.returncode != 0:
                failures.append("%s:\n%s" % (n, p.stderr.decode(errors="replace")[-4000:]))
        if failures:
            print("FAIL\n" + "\n".join(failures))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
