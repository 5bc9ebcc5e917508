#!/usr/bin/env python3
"""What reaches a terminal, and what the options accept.

Names from the repository can hold C1 controls (U+0080-U+009F, CSI among
them) and bidirectional overrides (U+202A-U+202E, U+2066-U+2069) that make a
name read as another: text output and diagnostics escape them like C0
controls. Every option value is validated (exit 2 with a message that says
what is expected), and every limit message names its limit."""
import os
import shutil
import subprocess
import sys
import tempfile

HIDDEN = ["\u0085", "\u009b", "\u202a", "\u202e", "\u2066", "\u2069", "\u200f"]
failures = []


def expect(label, cond, detail=""):
    if not cond:
        failures.append("%s\n%s" % (label, detail[:1500]))
    print("%-64s %s" % (label, "ok" if cond else "FAIL"))


def run(binary, args, cwd):
    p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def text_escapes(binary, src, tmp):
    # A fixture with findings, copied under a directory whose name holds
    # every hidden control: the text report prints it as the location.
    name = "d" + "".join(HIDDEN) + "x"
    d = os.path.join(tmp, name)
    shutil.copytree(os.path.join(src, "fixtures", "tf-sf101-shared-idp"), d)
    rc, out, err = run(binary, ["scan", name], tmp)
    both = out + err
    expect("text report: findings printed", rc == 1 and "SF101" in out, err)
    expect("text report: no raw C1 or bidi control", not any(c in both for c in HIDDEN),
           repr(both[:400]))
    expect("text report: each escaped as \\uNNNN",
           all("\\u%04x" % ord(c) in out for c in HIDDEN), out[:600])
    # Diagnostics quote a manifest's unknown field: escaped too.
    m = os.path.join(tmp, "manifest")
    os.makedirs(m)
    with open(os.path.join(m, "sharedfate.yaml"), "w") as f:
        f.write("version: 1\nser\u202evi\u2066ces: []\n")    # YAML itself refuses C1
    rc, out, err = run(binary, ["scan", "manifest"], tmp)
    expect("diagnostics: no raw C1 or bidi control", rc == 2 and
           not any(c in err for c in HIDDEN) and "\\u202e" in err and "\\u2066" in err, repr(err))


def rule_texts(binary, tmp):
    """A rule file in the repository: explain and rules print its texts
    with every control escaped, newlines kept."""
    d = os.path.join(tmp, "rules")
    os.makedirs(d)
    # as YAML escapes: libyaml refuses the raw characters themselves
    evil = "".join("\\u%04x" % ord(c) for c in HIDDEN) + "\\e[2J"
    with open(os.path.join(d, "r.yaml"), "w") as f:
        f.write('id: ACME001\nname: acme\nseverity: low\ntitle: "t%s"\n'
                'description: "line one\\nline %s two"\nremediation: "r%s"\n'
                'message: "{service}"\nreferences: ["ref%s"]\n'
                'check:\n  kind: shared\n  categories: [secrets]\n  plane: data\n'
                % (evil, evil, evil, evil))
    for args in (["explain", "ACME001", "--rules", "rules"], ["rules", "--rules", "rules"]):
        rc, out, err = run(binary, args, tmp)
        expect("%s: no raw control from a rule file" % args[0], rc == 0 and
               not any(c in out for c in HIDDEN + ["\x1b"]) and "\\u202e" in out, repr(out))
    rc, out, err = run(binary, ["explain", "ACME001", "--rules", "rules"], tmp)
    expect("explain: the description keeps its lines", "line one\nline " in out, repr(out))


def options(binary, tmp):
    d = os.path.join(tmp, "opt")
    os.makedirs(d)
    with open(os.path.join(d, "terraform.tfstate"), "w") as f:
        f.write('{"version": 4, "terraform_version": "1.5.7", "resources": []}')
    bad = [
        (["--ttl-threshold", "-1"], "--ttl-threshold"),
        (["--ttl-threshold", "+5"], "--ttl-threshold"),
        (["--ttl-threshold", " 5"], "--ttl-threshold"),
        (["--ttl-threshold", "5s"], "--ttl-threshold"),
        (["--ttl-threshold", ""], "--ttl-threshold"),
        (["--ttl-threshold", "2147483648"], "--ttl-threshold"),
        (["--ttl-threshold", "9" * 40], "--ttl-threshold"),
        (["--max-input-size", "0"], "--max-input-size"),
        (["--max-input-size", "-1"], "--max-input-size"),
        (["--max-input-size", "10T"], "--max-input-size"),
        (["--max-input-size", "65G"], "--max-input-size"),
        (["--max-input-size", "1.5G"], "--max-input-size"),
        (["--max-input-size", "99999999999999999999999"], "--max-input-size"),
        (["--format", "yaml"], "--format"),
        (["--fail-on", "HIGHEST"], "--fail-on"),
        (["--color", "sometimes"], "--color"),
        (["-o", ""], "cannot write"),
        (["--report", ""], "cannot write"),
        (["--rules", ""], "rules directory"),
        (["--rules", "no-such-dir"], "rules directory"),
    ]
    for args, word in bad:
        rc, out, err = run(binary, ["scan"] + args + ["opt"], tmp)
        expect("option %s: refused" % " ".join(a if len(a) < 20 else a[:12] + "..." for a in args),
               rc == 2 and word in err, err)
    for args in (["--ttl-threshold", "0"], ["--ttl-threshold", "2147483647"],
                 ["--max-input-size", "1M"], ["--max-input-size", "64MiB"],
                 ["--max-input-size", "1048576"]):
        rc, out, err = run(binary, ["scan"] + args + ["opt"], tmp)
        expect("option %s: accepted" % " ".join(args), rc == 0, err)


def ttl_zero(binary, src, tmp):
    """--ttl-threshold 0 is a threshold of 0, not the default of 60."""
    fx = os.path.join(src, "fixtures", "tf-gcp-primary-backup")      # a TTL of 30
    rc0, out0, err0 = run(binary, ["scan", "--format", "json", "--fail-on", "none",
                                   "--ttl-threshold", "0", fx], tmp)
    rc6, out6, err6 = run(binary, ["scan", "--format", "json", "--fail-on", "none",
                                   "--ttl-threshold", "60", fx], tmp)
    expect("--ttl-threshold 0 flags TTLs that 60 accepts",
           rc0 == 0 and "SF204" in out0 and "SF204" not in out6, err0 + err6)


def limits(binary, tmp):
    d = os.path.join(tmp, "lim")
    os.makedirs(d)
    key = "k" * (60 * 1024 * 1024)
    with open(os.path.join(d, "terraform.tfstate"), "w") as f:
        f.write('{"version": 4, "terraform_version": "1.5.7", "resources": [{"mode": "managed", '
                '"type": "null_resource", "name": "a", "instances": [{"index_key": "%s", '
                '"attributes": {}}]}]}' % key)
    rc, out, err = run(binary, ["scan", "--max-input-size", "128M", "lim"], tmp)
    expect("a 60 MB index key: refused, naming its limit", rc == 2 and "limit of" in err
           and "neither a number" not in err, err)
    with open(os.path.join(d, "terraform.tfstate"), "w") as f:
        f.write('{"version": 4}')
    rc, out, err = run(binary, ["scan", "-o", "x" * 300, "opt"], tmp)
    expect("an output name past NAME_MAX: refused, naming the limit",
           rc == 2 and "limit of 255 bytes" in err, err)


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="sf-text-"))
    try:
        text_escapes(binary, src, tmp)
        rule_texts(binary, tmp)
        options(binary, tmp)
        ttl_zero(binary, src, tmp)
        limits(binary, tmp)
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n\n".join(failures))
        return 1
    print("text escaped, options validated, limits named")
    return 0


if __name__ == "__main__":
    sys.exit(main())
