#!/usr/bin/env python3
"""The estate-scale benchmark: sharedfate against the floors and peers of
each input format, on generated inputs in real shapes.

  python3 tests/bench/bench.py [--build DIR] [--zone N,..] [--state N,..] [--runs R]
                               [--baseline OLD_SHAREDFATE]
  python3 tests/bench/bench.py --smoke --sharedfate BIN --zs-count BIN --json-walk BIN --runstat BIN

- zone of N records (gen_zone.py): `sharedfate scan`, libzscanner's raw parse
  (sf_bench_zs_count), `kzonecheck` (knot-dnssecutils) and
  `named-checkzone -i local` (bind9-utils);
- state of N services (gen_state.py): `sharedfate scan`, jansson's load and
  walk (sf_bench_json_walk) and `jq length`;
- the state sizes also give the end-to-end scaling: sharedfate's CPU time
  from the smallest to the largest state it accepted; every fifth service
  shares a fleet over three zones, so SF110 (shared redundancy, order 3)
  finds a set there, and a run with SF110 switched off (a rule file that
  applies it to no pair) gives its cost.

--baseline times another sharedfate binary (an older build) in the same
run, for before/after ratios under the same load. Each command runs R times,
the programs taking turns (round 1 runs each once, then round 2...) so that
a slow spell of a shared machine falls on all of them; the table shows the medians of CPU time
(user + system of the child), wall time and peak RSS (ru_maxrss), and
sharedfate's CPU time as a multiple of each peer's, all from this run:
the ratio of the medians, and (paired) the median of each round's ratio,
which a slow spell moves less;
under each sharedfate row, the graph that run built and the most memory it
held at its peak per node: beyond its strings' own bytes, and beyond the
string table too (its index, numbering and aliases: what each string
costs besides its bytes), from one more run with SHAREDFATE_STATS set
(the counters graph_*). A
peer that is not installed is left out. --smoke runs tiny sizes once and
checks that every program agrees on the input (used by the test suite: it
proves the harness works, not how fast anything is).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORIGIN = "example.com."


def run(runstat, cmd, out_path, env=None):
    """Run cmd with stdout to out_path: (cpu s, wall s, peak RSS MiB, rc, stderr)."""
    stats = out_path + ".stats"
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        subprocess.run([runstat, stats] + cmd, stdout=out, stderr=err, check=True, env=env)
        err.seek(0)
        msg = err.read().decode(errors="replace")
    with open(stats) as f:
        cpu, wall, rss, rc = f.read().split()
    return float(cpu), float(wall), int(rss) / 1024.0, int(rc), msg


def graph_size(args, cmd, tmp):
    """The graph a sharedfate run built, from its SHAREDFATE_STATS counters
    (one more run, untimed): {counter: value}, empty from a build without
    them."""
    env = dict(os.environ, SHAREDFATE_STATS="1")
    msg = run(args.runstat, cmd, os.path.join(tmp, "out-stats"), env)[4]
    stats = {}
    for line in msg.splitlines():
        if line.startswith("sharedfate: stat: graph_"):
            name, value = line[len("sharedfate: stat: "):].split()
            stats[name] = int(value)
    return stats


def measure_all(args, specs, tmp):
    """Each spec (name, cmd, ok exit codes) run args.runs times, the
    programs taking turns (one round runs each once), so that a slow spell
    of the machine falls on all of them rather than on one program's runs:
    a row per spec with the medians, or "refused" when the command refused
    the input."""
    runs = {name: {"cpu": [], "wall": [], "rss": []} for name, _, _ in specs}
    refused = {}
    outs = {name: os.path.join(tmp, "out%d" % i) for i, (name, _, _) in enumerate(specs)}
    for _ in range(args.runs):
        for name, cmd, ok_codes in specs:
            if name in refused:
                continue
            c, w, r, rc, err = run(args.runstat, cmd, outs[name])
            if rc not in ok_codes:
                first = err.strip().splitlines()[:1]
                refused[name] = "exit %d: %s" % (rc, first[0] if first else "")
                continue
            runs[name]["cpu"].append(c)
            runs[name]["wall"].append(w)
            runs[name]["rss"].append(r)
    rows = []
    for name, cmd, _ in specs:
        if name in refused:
            rows.append({"name": name, "refused": refused[name]})
            continue
        with open(outs[name], "rb") as f:
            stdout = f.read()
        r = {"name": name, "stdout": stdout}
        for k in ("cpu", "wall", "rss"):
            r[k] = statistics.median(runs[name][k])
        r["rounds"] = runs[name]["cpu"]
        if name.startswith("sharedfate"):
            r["graph"] = graph_size(args, cmd, tmp)
        rows.append(r)
    return rows


def table(title, rows, size_mb):
    print(title)
    print("  %-26s %9s %9s %12s %14s %8s" % ("program", "cpu s", "wall s", "peak RSS MB", "sharedfate is",
                                            "paired"))
    sf = rows[0]
    for r in rows:
        if "refused" in r:
            print("  %-26s refused (%s)" % (r["name"], r["refused"]))
            continue
        ratio = paired = ""
        if r is not sf and "cpu" in sf and r["cpu"] > 0:
            ratio = "%.2fx" % (sf["cpu"] / r["cpu"])
            # the median of each round's ratio: a round's programs ran one
            # after another, so a slow spell of the machine falls on both
            if len(sf["rounds"]) == len(r["rounds"]) and all(c > 0 for c in r["rounds"]):
                paired = "%.2fx" % statistics.median(a / b for a, b in zip(sf["rounds"], r["rounds"]))
        print("  %-26s %9.3f %9.3f %12.1f %14s %8s" % (r["name"], r["cpu"], r["wall"], r["rss"], ratio,
                                                      paired))
        g = r.get("graph")
        if g and g.get("graph_nodes"):
            print("  %-26s graph: %d nodes, %d edges, %d strings; per node at the peak: %.1f bytes "
                  "beyond the strings' own bytes, %.1f beyond the string table too" % (
                      "", g["graph_nodes"], g["graph_edges"], g.get("graph_strings", 0),
                      g["graph_bytes"] / g["graph_nodes"],
                      (g["graph_bytes"] - g.get("graph_bytes_strtab", 0)) / g["graph_nodes"]))
        elif g is not None:
            print("  %-26s graph: no counters (SHAREDFATE_STATS) in this build" % "")
    if "rss" in sf:
        print("  sharedfate peak RSS = %.2fx the file" % (sf["rss"] / size_mb))
    print()


def sharedfate_cmd(binary, path):
    return [binary, "scan", "--format", "json", "--fail-on", "none", path]


def check(cond, what):
    if not cond:
        raise SystemExit("bench: " + what)


def bench_zone(args, n, tmp):
    path = os.path.join(tmp, "bench%d.zone" % n)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_zone.py"), str(n), path, ORIGIN], check=True)
    mb = os.path.getsize(path) / 1048576.0
    specs = [("sharedfate scan", sharedfate_cmd(args.sharedfate, path), (0, 1)),
             ("libzscanner (count)", [args.zs_count, path, ORIGIN], (0,))]
    if shutil.which("kzonecheck"):
        specs.append(("kzonecheck", ["kzonecheck", "-o", ORIGIN, path], (0,)))
    if shutil.which("named-checkzone"):
        specs.append(("named-checkzone -i local", ["named-checkzone", "-i", "local", ORIGIN, path], (0,)))
    if args.baseline:
        specs.append(("sharedfate (baseline)", sharedfate_cmd(args.baseline, path), (0, 1)))
    rows = measure_all(args, specs, tmp)
    table("zone: %d records, %.1f MB" % (n, mb), rows, mb)
    if args.smoke:
        check(all("refused" not in r for r in rows), "a program refused the zone: %r" % rows)
        check(int(rows[1]["stdout"]) == n, "libzscanner counted %s records, not %d" % (rows[1]["stdout"], n))
        rep = json.loads(rows[0]["stdout"])
        # nothing reaches the zone's names, so their nodes are not made
        # (importers/zone.c): the zone must have been read all the same
        check([i.get("format") for i in rep["inputs"]] == ["zone"] and rep["graph"]["nodes"] > 0,
              "sharedfate did not read the zone: %r" % rep["inputs"])
        g = rows[0]["graph"]
        check(g.get("graph_nodes", 0) >= rep["graph"]["nodes"] and g.get("graph_bytes", 0) > 0,
              "the graph counters (SHAREDFATE_STATS) say %r" % g)
    return rows


def bench_state(args, n, tmp):
    path = os.path.join(tmp, "bench%d.tfstate" % n)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_state.py"), str(n), path], check=True)
    mb = os.path.getsize(path) / 1048576.0
    specs = [("sharedfate scan", sharedfate_cmd(args.sharedfate, path), (0, 1)),
             ("jansson (load + walk)", [args.json_walk, path], (0,))]
    if shutil.which("jq"):
        specs.append(("jq length", ["jq", "length", path], (0,)))
    off = os.path.join(tmp, "sf110-off")
    os.makedirs(off, exist_ok=True)
    with open(os.path.join(HERE, "..", "..", "rules", "builtin", "SF110.yaml")) as f:
        rule = f.read()
    with open(os.path.join(off, "SF110.yaml"), "w") as f:
        f.write(rule.rstrip("\n") + "\n  sources: [no-such-source]\n")
    specs.append(("sharedfate (SF110 off)",
                  sharedfate_cmd(args.sharedfate, path)[:-1] + ["--rules", off, path], (0, 1)))
    if args.baseline:
        specs.append(("sharedfate (baseline)", sharedfate_cmd(args.baseline, path), (0, 1)))
    rows = measure_all(args, specs, tmp)
    table("state: %d services, %.1f MB" % (n, mb), rows, mb)
    if "stdout" in rows[0]:
        rep = json.loads(rows[0]["stdout"])
        sets = [f for f in rep["findings"] if f["rule"] == "SF110"]
        fleets = len(range(0, n, 5))
        print("  SF110 (order 3): %d sets in %d pairs; %d services share a fleet\n" % (
            len(sets), len({f["pair"] for f in sets}), fleets))
        check(len(sets) == fleets and all(len(f["shared"]) == 3 for f in sets),
              "SF110 found %d sets, not one of three for each of %d fleets" % (len(sets), fleets))
    if args.smoke:
        check(all("refused" not in r for r in rows), "a program refused the state: %r" % rows)
        check(int(rows[1]["stdout"]) > n * 100, "jansson saw %s values" % rows[1]["stdout"])
        rep = json.loads(rows[0]["stdout"])
        check(len(rep["pairs"]) == n, "sharedfate found %d pairs, not %d" % (len(rep["pairs"]), n))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="the build directory (default: build)")
    ap.add_argument("--sharedfate")
    ap.add_argument("--zs-count")
    ap.add_argument("--json-walk")
    ap.add_argument("--runstat")
    ap.add_argument("--baseline", help="another sharedfate binary to time in the same run")
    ap.add_argument("--zone", default="1000000", help="record counts, comma-separated")
    ap.add_argument("--state", default="250,1000,4000", help="service counts, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.zone, args.state, args.runs = "3000", "8", 1
    args.sharedfate = args.sharedfate or os.path.join(args.build, "sharedfate")
    args.zs_count = args.zs_count or os.path.join(args.build, "tests", "bench", "sf_bench_zs_count")
    args.json_walk = args.json_walk or os.path.join(args.build, "tests", "bench", "sf_bench_json_walk")
    args.runstat = args.runstat or os.path.join(args.build, "tests", "bench", "sf_bench_runstat")
    for p in (args.sharedfate, args.zs_count, args.json_walk, args.runstat):
        check(os.access(p, os.X_OK), "%s is not built" % p)
    print("runs per command: %d (medians)\n" % args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.zone.split(",") if x]:
            bench_zone(args, n, tmp)
        states = []
        for n in [int(x) for x in args.state.split(",") if x]:
            states.append((n, bench_state(args, n, tmp)))
    for name in ("sharedfate scan", "sharedfate (baseline)"):
        ok = [(n, r) for n, rows in states for r in rows if r["name"] == name and "cpu" in r]
        if len(ok) >= 2:
            (n0, a), (n1, b) = ok[0], ok[-1]
            print("scaling of %s: %d -> %d services (x%.1f): CPU x%.2f, peak RSS x%.2f" % (
                name, n0, n1, n1 / n0, b["cpu"] / a["cpu"], b["rss"] / a["rss"]))


if __name__ == "__main__":
    main()
