#!/usr/bin/env python3
"""Where teams run sharedfate, exercised as far as a machine without a
container daemon or GitHub allows: the composite action's `run:` steps as
scripts, the pre-commit hook's entry, the Dockerfile's stages, packages and
build commands, and the README's GitHub Actions and GitLab CI recipes, each
on a copy of fixtures/demo."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sarif_check  # noqa: E402


def action_steps(text):
    """{step id: run script} from action.yml (the layout this repository
    keeps: `- id: X` then `run: |` and an indented block)."""
    steps, cur, block, indent = {}, None, None, None
    for line in text.split("\n"):
        m = re.match(r"^    - (id: (\S+)|if: |uses: )", line)
        if m:
            if block is not None:
                steps[cur] = "\n".join(block).strip() + "\n"
            cur, block = m.group(2), None
            continue
        if block is not None:
            if line.strip() == "" or line.startswith(" " * indent):
                block.append(line[indent:])
                continue
            steps[cur] = "\n".join(block).strip() + "\n"
            block = None
        if cur and re.match(r"^      run: \|$", line):
            block, indent = [], 8
    if block is not None:
        steps[cur] = "\n".join(block).strip() + "\n"
    return steps


def deps_packages(src):
    text = open(os.path.join(src, "scripts", "deps")).read()
    m = re.search(r'PKGS="([^"]*)"', text)
    return set(m.group(1).replace("\\\n", " ").split())


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []
    tmp = tempfile.mkdtemp(prefix="sf-cifiles-")
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    os.symlink(binary, os.path.join(bindir, "sharedfate"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))

    def expect(cond, what):
        if not cond:
            failures.append(what)

    def repo(name):
        d = os.path.join(tmp, name)
        shutil.copytree(os.path.join(src, "fixtures", "demo"), d,
                        ignore=shutil.ignore_patterns("expected*"))
        return d

    def sh(script, cwd, extra_env=None):
        e = dict(env, **(extra_env or {}))
        return subprocess.run(["bash", "-c", script], cwd=cwd, env=e, capture_output=True,
                              timeout=300)

    try:
        known = deps_packages(src)

        # ---- the action
        steps = action_steps(open(os.path.join(src, "action.yml")).read())
        expect({"install", "build", "scan", "comment", "gate"} <= set(steps),
               "action.yml steps: %s" % sorted(steps))
        inst = set(re.findall(r"\b(lib[a-z0-9.+-]+|build-essential|cmake|pkg-config)\b",
                              steps.get("install", "")))
        expect(inst and inst <= known, "action installs packages scripts/deps does not know: %s"
               % sorted(inst - known))
        r = repo("action")
        out_file = os.path.join(tmp, "gh-output")
        base_env = {"SHAREDFATE": binary, "SF_PATH": ".", "SF_FAIL_ON": "high",
                    "SF_BASELINE": "", "SF_SARIF": "sharedfate.sarif", "GITHUB_OUTPUT": out_file}
        p = sh(steps.get("scan", "false"), r, base_env)
        outs = open(out_file).read() if os.path.exists(out_file) else ""
        expect(p.returncode == 0 and "exit-code=1" in outs,
               "action scan step: rc %d, outputs %r\n%s" % (p.returncode, outs, p.stderr))
        if os.path.exists(os.path.join(r, "sharedfate.sarif")):
            for prob in sarif_check.check(json.load(open(os.path.join(r, "sharedfate.sarif")))):
                failures.append("action SARIF: " + prob)
        else:
            failures.append("action: no SARIF written")
        expect(os.path.exists(os.path.join(r, "report", "findings.json")), "action: no report/")
        subprocess.run([binary, "baseline", ".", "-o", "bl.json"], cwd=r, env=env, check=False)
        os.remove(out_file)
        shutil.rmtree(os.path.join(r, "report"))
        p = sh(steps.get("scan", "false"), r, dict(base_env, SF_BASELINE="bl.json"))
        expect("exit-code=0" in open(out_file).read(), "action with a baseline: %s" %
               p.stderr.decode())
        os.remove(out_file)
        p = sh(steps.get("scan", "false"), r, dict(base_env, SF_PATH="missing-dir"))
        expect(p.returncode == 2, "action scan of a missing path: step rc %d" % p.returncode)
        for rc in ("0", "1", "2"):
            p = sh(steps.get("gate", "false"), r, {"SF_RC": rc})
            expect(p.returncode == int(rc), "gate step with %s: %d" % (rc, p.returncode))
        # comment: only when report.md exists; gh is a recorder here
        log = os.path.join(tmp, "gh.log")
        with open(os.path.join(bindir, "gh"), "w") as f:
            f.write('#!/bin/sh\necho "$@" >> %s\n' % shlex.quote(log))
        os.chmod(os.path.join(bindir, "gh"), 0o755)
        os.makedirs(os.path.join(r, "report"), exist_ok=True)
        # the scan above wrote the review report: first without report.md
        expect(os.path.exists(os.path.join(r, "report", "report.md")),
               "action: --report wrote no report.md")
        os.remove(os.path.join(r, "report", "report.md"))
        p = sh(steps.get("comment", "false"), r, {"PR": "7"})
        expect(p.returncode == 0 and not os.path.exists(log), "comment without report.md")
        open(os.path.join(r, "report", "report.md"), "w").write("# findings\n")
        p = sh(steps.get("comment", "false"), r, {"PR": "7"})
        expect(os.path.exists(log) and
               open(log).read().strip() == "pr comment 7 --body-file report/report.md",
               "comment step did not post report.md")

        # ---- pre-commit hooks
        hooks = open(os.path.join(src, ".pre-commit-hooks.yaml")).read()
        entries = re.findall(r"^\s+entry: (.+)$", hooks, re.M)
        ids = re.findall(r"^- id: (\S+)$", hooks, re.M)
        expect(ids == ["sharedfate", "sharedfate-docker"] and len(entries) == 2,
               "pre-commit hooks: %s" % ids)
        files_re = re.findall(r"^\s+files: '(.+)'$", hooks, re.M)
        expect(files_re and re.search(files_re[0], "infra/terraform.tfstate") and
               re.search(files_re[0], "sharedfate.yaml") and
               not re.search(files_re[0], "README.md"), "pre-commit files pattern")
        r = repo("precommit")
        p = subprocess.run(shlex.split(entries[0]), cwd=r, env=env, capture_output=True,
                           timeout=120)
        expect(p.returncode == 1 and len(p.stdout.splitlines()) == 1,
               "pre-commit entry: rc %d\n%s" % (p.returncode, p.stdout.decode()))
        # the docker hook's entry is the image's arguments (ENTRYPOINT sharedfate)
        p = subprocess.run([binary] + shlex.split(entries[1]), cwd=r, env=env,
                           capture_output=True, timeout=120)
        expect(p.returncode == 1, "docker hook entry as arguments: rc %d" % p.returncode)

        # ---- Dockerfile
        df = open(os.path.join(src, "Dockerfile")).read()
        logical = re.sub(r"\\\n\s*", " ", df)
        froms = re.findall(r"^FROM (\S+)(?: AS (\S+))?$", logical, re.M)
        expect(froms == [("debian:12-slim", "build"), ("debian:12-slim", "")],
               "Dockerfile stages: %s" % froms)
        runs = re.findall(r"^RUN (.+)$", logical, re.M)
        expect(len(runs) == 3, "Dockerfile RUN lines: %d" % len(runs))
        build_pkgs = set(re.findall(r"--no-install-recommends ([^&]+)&&", runs[0])[0].split())
        expect(build_pkgs <= known, "build stage packages scripts/deps does not know: %s"
               % sorted(build_pkgs - known))
        rt_pkgs = set(re.findall(r"--no-install-recommends ([^&]+)&&", runs[2])[0].split())
        needed = subprocess.run(["readelf", "-d", binary], capture_output=True,
                                text=True).stdout
        for lib in re.findall(r"\(NEEDED\).*\[(.+)\]", needed):
            q = subprocess.run(["dpkg", "-S", "*/" + lib], capture_output=True, text=True)
            pkg = q.stdout.split(":")[0] if q.returncode == 0 else None
            if pkg is None or pkg in ("libc6", "libgcc-s1", "libstdc++6", "zlib1g"):
                continue    # in debian:12-slim already
            if lib.startswith(("libasan", "libubsan", "liblsan", "libtsan")):
                continue    # a sanitizer build's runtime: never in the image
            expect(pkg in rt_pkgs, "runtime stage lacks %s (for %s)" % (pkg, lib))
        expect("COPY --from=build /build/sharedfate /usr/local/bin/sharedfate" in df,
               "the runtime stage copies the binary")
        expect(re.search(r'^ENTRYPOINT \["sharedfate"\]$', df, re.M), "ENTRYPOINT")
        expect(re.search(r"^USER (?!root)\S+$", df, re.M), "the image runs as a user")
        # the build commands, run here as a script: configure only (the
        # suite builds the same sources already), then check the target
        cfg = runs[1].split("&&")[0].strip().replace("-S .", "-S " + shlex.quote(src))
        cfg = cfg.replace("/build", shlex.quote(os.path.join(tmp, "docker-build")))
        p = sh(cfg + " >/dev/null", tmp)
        expect(p.returncode == 0, "Dockerfile configure step: %s" % p.stderr.decode()[-500:])
        if p.returncode == 0:
            t = subprocess.run(["cmake", "--build", os.path.join(tmp, "docker-build"), "--target",
                                "help"], capture_output=True, text=True)
            expect(re.search(r"\bsharedfate\b", t.stdout), "no 'sharedfate' build target")

        # ---- README recipes: their sharedfate commands on fixtures/demo
        readme = open(os.path.join(src, "README.md")).read()
        for name, report in (("github", "sharedfate.sarif"), ("gitlab", "sharedfate-junit.xml")):
            m = re.search(r"<!-- ci-recipe: %s -->(.*?)<!-- /ci-recipe -->" % name, readme, re.S)
            expect(m, "README has no %s recipe" % name)
            if not m:
                continue
            cmds = [re.sub(r"^\s*-?\s*(run: )?", "", x) for x in m.group(1).split("\n")
                    if re.match(r"^\s*-?\s*(run: )?sharedfate ", x)]
            expect(len(cmds) == 1, "%s recipe commands: %s" % (name, cmds))
            r = repo("recipe-" + name)
            # the baseline the recipe expects, made as the README says
            base = re.search(r"`(sharedfate baseline \. -o \.sharedfate-baseline\.json)`", readme)
            expect(base, "README: the baseline command")
            sh(base.group(1), r)
            for c in cmds:
                p = sh(c, r)
                expect(p.returncode == 0, "%s recipe with its baseline: rc %d\n%s"
                       % (name, p.returncode, p.stderr.decode()))
                os.remove(os.path.join(r, ".sharedfate-baseline.json"))
                open(os.path.join(r, ".sharedfate-baseline.json"), "w").write(
                    '{"schema": "sharedfate/baseline/v1", "findings": []}\n')
                p = sh(c, r)
                expect(p.returncode == 1, "%s recipe, empty baseline: rc %d" % (name, p.returncode))
            if name == "github":
                for prob in sarif_check.check(json.load(open(os.path.join(r, report)))):
                    failures.append("recipe SARIF: " + prob)
            else:
                x = ET.parse(os.path.join(r, report)).getroot()
                expect(x.tag == "testsuites" and int(x.get("failures")) > 0, "recipe JUnit")
                gl = json.load(open(os.path.join(r, "gl-code-quality.json")))
                expect(gl and all(g["location"]["path"].startswith("terraform/") for g in gl),
                       "GitLab paths relative to the repository: %s" % gl[:1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("FAIL", f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
