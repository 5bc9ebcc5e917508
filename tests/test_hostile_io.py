#!/usr/bin/env python3
"""No byte outside the tree: a pull request controls every file in the
scanned tree, links included. Outputs (-o, --report) are never written
through a link it commits; $INCLUDE, discovery and --rules never read
outside, and their messages are the same whether an outside file exists or
not (no probing of the runner's files); link loops are named as loops.
Every tree is made at test time in a scratch directory."""
import os
import shutil
import subprocess
import sys
import tempfile

STATE = """{"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l",
 "outputs": {}, "resources": []}
"""
ZONE = """$ORIGIN example.com.
$TTL 300
@   IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    IN NS  ns1
ns1 IN A   192.0.2.1
$INCLUDE %s
"""
RULE = """id: ACME001
name: acme-rule
severity: low
title: t
description: d
remediation: r
message: "{service}"
check:
  kind: shared
  categories: [secrets]
  plane: data
"""

failures = []


def run(binary, args, cwd):
    p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def expect(label, cond, detail=""):
    if not cond:
        failures.append("%s\n%s" % (label, detail[:1500]))
    print("%-60s %s" % (label, "ok" if cond else "FAIL"))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def outputs(binary, tmp):
    outside = os.path.join(tmp, "outside")
    os.makedirs(outside)
    victim = os.path.join(outside, "victim")
    repo = os.path.join(tmp, "repo")
    write(os.path.join(repo, "terraform.tfstate"), STATE)

    def reset():
        write(victim, "precious\n")

    def intact():
        with open(victim) as f:
            return f.read() == "precious\n"

    # --report DIR where DIR/findings.json is a committed link.
    reset()
    os.makedirs(os.path.join(repo, "review"))
    os.symlink("../../outside/victim", os.path.join(repo, "review", "findings.json"))
    rc, out, err = run(binary, ["scan", ".", "--report", "review"], repo)
    expect("--report through a link to a file: refused", rc == 2 and "symbolic link" in err
           and intact(), err)
    # -o FILE that is a committed link.
    reset()
    os.symlink("../outside/victim", os.path.join(repo, "out.json"))
    rc, out, err = run(binary, ["scan", ".", "-o", "out.json"], repo)
    expect("-o through a link to a file: refused", rc == 2 and "symbolic link" in err
           and intact(), err)
    # A directory on the way that is a link out of the tree.
    reset()
    os.symlink("../outside", os.path.join(repo, "dirlink"))
    rc, out, err = run(binary, ["scan", ".", "-o", "dirlink/victim"], repo)
    expect("-o through a directory link: refused", rc == 2 and "symbolic link" in err
           and intact(), err)
    rc, out, err = run(binary, ["scan", ".", "--report", "dirlink"], repo)
    expect("--report DIR that is a link: refused", rc == 2 and "symbolic link" in err
           and not os.path.exists(os.path.join(outside, "findings.json")), err)
    # The same from outside the repository: the scanned tree is guarded too.
    rc, out, err = run(binary, ["scan", repo, "-o", os.path.join(repo, "dirlink", "x.json")], tmp)
    expect("-o via a link inside a scanned tree, absolute: refused", rc == 2
           and not os.path.exists(os.path.join(outside, "x.json")), err)
    # A dangling link (the target does not exist yet) is not created either.
    os.symlink("../outside/new-file", os.path.join(repo, "dangling.json"))
    rc, out, err = run(binary, ["scan", ".", "-o", "dangling.json"], repo)
    expect("-o through a dangling link: refused", rc == 2
           and not os.path.exists(os.path.join(outside, "new-file")), err)
    # A hard link to a file elsewhere shares its content: refused.
    reset()
    os.link(victim, os.path.join(repo, "hard.json"))
    rc, out, err = run(binary, ["scan", ".", "-o", "hard.json"], repo)
    expect("-o onto a hard link: refused", rc == 2 and "hard link" in err and intact(), err)
    os.unlink(os.path.join(repo, "hard.json"))
    # Plain outputs still work, and "-" is standard output.
    rc, out, err = run(binary, ["scan", ".", "--format", "json", "-o", "plain.json",
                                "--report", "fresh"], repo)
    expect("-o and --report into plain paths: written", rc == 0
           and os.path.getsize(os.path.join(repo, "plain.json")) > 0
           and os.path.getsize(os.path.join(repo, "fresh", "findings.json")) > 0, err)
    rc, out, err = run(binary, ["scan", ".", "--format", "json", "-o", "plain.json"], repo)
    expect("-o over an existing regular file: rewritten", rc == 0, err)
    rc, out, err = run(binary, ["scan", ".", "--format", "json", "-o", "-"], repo)
    expect("-o - writes to standard output", rc == 0 and '"schema"' in out, err)


def includes(binary, tmp):
    """$INCLUDE through a link out of the tree: one message, whether the
    target exists on the runner or not."""
    outside = os.path.join(tmp, "secret-dir")
    write(os.path.join(outside, "exists"), "x IN A 192.0.2.9\n")
    msgs = []
    for target in ("exists", "no-such-file"):
        repo = os.path.join(tmp, "inc-" + target)
        os.makedirs(repo)
        os.symlink(outside, os.path.join(repo, "etclink"))
        write(os.path.join(repo, "example.com.zone"), ZONE % ("etclink/" + target))
        rc, out, err = run(binary, ["scan", "."], repo)
        line = [l for l in err.splitlines() if "$INCLUDE" in l]
        msgs.append(line[0].replace(target, "T") if line else None)
        expect("$INCLUDE etclink/%s: refused" % target, rc == 2 and line
               and "outside the scanned tree" in line[0], err)
    expect("$INCLUDE: the same message whether the outside file exists", msgs[0] == msgs[1],
           repr(msgs))
    # ../ above the root, existing or not: same message.
    msgs = []
    for target in ("../secret-dir/exists", "../secret-dir/nothing"):
        repo = os.path.join(tmp, "up-" + target.rsplit("/", 1)[1])
        os.makedirs(repo)
        write(os.path.join(repo, "example.com.zone"), ZONE % target)
        rc, out, err = run(binary, ["scan", "."], repo)
        line = [l for l in err.splitlines() if "$INCLUDE" in l]
        msgs.append(line[0].replace(target, "T") if line else None)
    expect("$INCLUDE ../: the same message whether the outside file exists",
           msgs[0] is not None and msgs[0] == msgs[1], repr(msgs))
    # A link loop says so.
    repo = os.path.join(tmp, "inc-loop")
    os.makedirs(repo)
    os.symlink("b", os.path.join(repo, "a"))
    os.symlink("a", os.path.join(repo, "b"))
    write(os.path.join(repo, "example.com.zone"), ZONE % "a")
    rc, out, err = run(binary, ["scan", "."], repo)
    expect("$INCLUDE of a link loop: named a loop", rc == 2 and "loop" in err, err)
    # Links inside the tree still work, absolute ones naming the tree too.
    repo = os.path.join(tmp, "inc-inside")
    write(os.path.join(repo, "frag", "real.inc"), "www IN A 192.0.2.7\n")
    os.symlink("frag/real.inc", os.path.join(repo, "rel.inc"))
    os.symlink(os.path.join(os.path.realpath(repo), "frag", "real.inc"),
               os.path.join(repo, "abs.inc"))
    write(os.path.join(repo, "example.com.zone"), ZONE % "rel.inc" + "$INCLUDE abs.inc\n")
    rc, out, err = run(binary, ["scan", "."], repo)
    expect("$INCLUDE through links inside the tree: read", rc == 0, err)


def discovery(binary, tmp):
    repo = os.path.join(tmp, "disc")
    write(os.path.join(repo, "terraform.tfstate"), STATE)
    os.symlink("loop2.tfstate", os.path.join(repo, "loop1.tfstate"))
    os.symlink("loop1.tfstate", os.path.join(repo, "loop2.tfstate"))
    os.symlink("/nonexistent/x.tfstate", os.path.join(repo, "out1.tfstate"))
    os.symlink(os.path.join(tmp, "outside", "victim"), os.path.join(repo, "out2.tfstate"))
    os.symlink("missing.tfstate", os.path.join(repo, "dangling.tfstate"))
    rc, out, err = run(binary, ["scan", "."], repo)
    # path -> the message without the path (which may itself say "loop")
    lines = {l.split(":", 1)[0]: l.split(":", 1)[1] for l in err.splitlines() if ":" in l}
    expect("discovery: a link loop is named a loop", "loop" in lines.get("loop1.tfstate", ""),
           err)
    expect("discovery: links out, existing or not, say the same",
           lines.get("out1.tfstate", "x") == lines.get("out2.tfstate", "y")
           and "outside" in lines.get("out1.tfstate", ""), err)
    expect("discovery: a dangling link inside says so",
           "does not exist" in lines.get("dangling.tfstate", ""), err)


def rules(binary, tmp):
    outside = os.path.join(tmp, "rules-outside")
    write(os.path.join(outside, "secret.yaml"), "runner_token_key: hunter2\n")
    repo = os.path.join(tmp, "rules-repo")
    write(os.path.join(repo, "terraform.tfstate"), STATE)
    write(os.path.join(repo, "rules", "ok.yaml"), RULE)
    os.symlink(os.path.join(outside, "secret.yaml"), os.path.join(repo, "rules", "a.yaml"))
    os.symlink(os.path.join(outside, "none.yaml"), os.path.join(repo, "rules", "b.yaml"))
    os.symlink("../../rules-outside/secret.yaml", os.path.join(repo, "rules", "c.yaml"))
    rc, out, err = run(binary, ["scan", ".", "--rules", "rules"], repo)
    expect("--rules: a link out is refused, the outside file never quoted",
           rc == 2 and "runner_token_key" not in err and "hunter2" not in err
           and "outside the rules directory" in err, err)
    a = [l.split(":", 1)[1] for l in err.splitlines() if l.startswith("rules/a.yaml")]
    b = [l.split(":", 1)[1] for l in err.splitlines() if l.startswith("rules/b.yaml")]
    expect("--rules: the same message whether the outside file exists", a and a == b, err)
    # The rules directory itself a committed link out: refused, nothing quoted.
    os.symlink(outside, os.path.join(repo, "rules-link"))
    rc, out, err = run(binary, ["scan", ".", "--rules", "rules-link"], repo)
    expect("--rules DIR that is a link out: refused, nothing quoted",
           rc == 2 and "symbolic link" in err and "runner_token_key" not in err, err)
    # A message that would expand to gigabytes is refused at load.
    big = RULE.replace('message: "{service}"', 'message: "%s"' % ("{name}" * 170000))
    write(os.path.join(repo, "rules2", "big.yaml"), big)
    rc, out, err = run(binary, ["scan", ".", "--rules", "rules2"], repo)
    expect("--rules: a 1 MB message of {name} refused, naming the limit",
           rc == 2 and "the limit is" in err and len(out) < 100000, err)
    many = RULE.replace('message: "{service}"', 'message: "%s"' % ("{name}" * 300))
    write(os.path.join(repo, "rules3", "many.yaml"), many)
    rc, out, err = run(binary, ["scan", ".", "--rules", "rules3"], repo)
    expect("--rules: 300 placeholders refused, naming the limit",
           rc == 2 and "placeholders" in err and "the limit is 32" in err, err)


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="sf-io-"))
    try:
        outputs(binary, tmp)
        includes(binary, tmp)
        discovery(binary, tmp)
        rules(binary, tmp)
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n\n".join(failures))
        return 1
    print("nothing outside the tree was read or written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
