#!/usr/bin/env python3
"""narrate side by side with what a team would use instead, on one machine, in one run.

    python3 benchmarks/compare.py [--binary .build/release/narrate] [--runs 10] [--idle 60]

Generates the organisation of benchmarks/generate.py (1,000 people, 50 teams, a year of history,
100 webhook targets) and a small copy of it (two weeks, ≈11,000 entries), starts a loopback
sink (TCP_NODELAY), and times with hyperfine (medians of --runs runs):

- the 50-team cycle rendered for 2 targets a team, nothing sent: `narrate now --dry-run`
  against benchmarks/baseline.py --dry-run (Jinja2 over the same SQLite data);
- the same cycle delivered to the 100 targets: `narrate now --force` against the baseline
  posting with requests, and with Apprise;
- delivery alone per POST (the cycle minus its dry run, over the number of POSTs) against
  `curl` posting the same bodies over one kept-alive connection;
- history: a year (280k entries) against two weeks (10k) and against eight weeks, which fill every
  window a weekly report reads; one team, and `narrate check` of the whole config;
- an idle `narrate run` with 50 schedules: wakeups (context switches) a minute and resident memory.

Prints one JSON line a measurement and a table of medians and ratios at the end.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402
from sink import serve  # noqa: E402


def hyperfine(name, commands, runs, work):
    """Medians in seconds of each command, by hyperfine."""
    out = os.path.join(work, f"{name}.json")
    args = ["hyperfine", "-N", "--runs", str(runs), "--warmup", "1", "--export-json", out, "--style", "none"]
    for label, command in commands:
        args += ["--command-name", label, command]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        results = json.load(f)["results"]
    medians = {r["command"]: r["median"] for r in results}
    for label, seconds in medians.items():
        print(json.dumps({"case": name, "command": label, "median_s": round(seconds, 4)}), flush=True)
    return medians


def peak_rss(command, env):
    """Peak resident memory (MiB) of one run, as GNU time reports it.

    Not `os.wait4` on a child of this script: its maximum counts the forked copy of this Python
    process before the exec, which grows with the bodies held here (it said 120 MiB for a
    command that peaks at 54)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True, check=True)
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def context_switches(pid):
    """Context switches so far of each thread of a process, by thread id (/proc)."""
    switches = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                switches[task] = sum(int(line.split()[1]) for line in f if "ctxt_switches" in line)
        except FileNotFoundError:
            pass
    return switches


def idle_daemon(binary, config, state, env, seconds):
    """Wakeups a minute and resident memory of `narrate run` while no slot is due.

    Wakeups are the context switches of the process's threads over the window, read from
    /proc, plus one for every thread started during it. (`perf stat -p` prints "<not counted>"
    when no thread ran at all, which is the case to measure.)"""
    proc = subprocess.Popen([binary, "run", "--config", config, "--state-dir", state],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(5)  # start-up and the first outbox pass

    def rss():
        with open(f"/proc/{proc.pid}/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

    before = context_switches(proc.pid)
    rss_start = rss()
    time.sleep(seconds)
    after = context_switches(proc.pid)
    rss_end = rss()
    with open(f"/proc/{proc.pid}/smaps_rollup") as f:
        rollup = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in f if line.endswith("kB\n")}
    proc.terminate()
    proc.wait()
    switches = sum(count - before.get(task, 0) for task, count in after.items())
    started = len(set(after) - set(before))
    return (switches + started) * 60 / seconds, rss_start, rss_end, rollup.get("Anonymous", 0)


def checkpoint(state):
    """Folds the store's write-ahead log back into the database, as a quiet daemon's store is."""
    import sqlite3
    with sqlite3.connect(os.path.join(state, "narrate.sqlite")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/narrate"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle", type=int, default=60, help="seconds to watch the idle daemon (0: skip)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="narrate-compare-")

    sink, env = serve()

    big = os.path.join(work, "year")
    config, state, entries = generate.generate(binary, big, 52, 7, sink)
    small_config, small_state, small_entries = generate.generate(binary, os.path.join(work, "fortnight"), 2, 7, sink)
    # Eight weeks fill every window a weekly report reads (the period and four before it, six
    # periods of KPI and mood trend): against it the year differs only in older history.
    full_config, full_state, full_entries = generate.generate(binary, os.path.join(work, "eight-weeks"), 8, 7, sink)
    print(json.dumps({"entries": entries, "small_entries": small_entries, "full_window_entries": full_entries, "work": work}),
          flush=True)
    baseline = [sys.executable, os.path.join(HERE, "baseline.py"), config, state]
    narrate = [binary, "--config", config, "--state-dir", state]

    def cmd(words):
        return " ".join(words)

    def narrate_cmd(*words, config=config, state=state):
        return cmd([binary, *words, "--config", config, "--state-dir", state])

    rows = []
    dry = hyperfine("dry-run", [
        ("narrate now --dry-run", narrate_cmd("now", "--dry-run")),
        ("baseline --dry-run", cmd(baseline + ["--dry-run"])),
    ], args.runs, work)
    rows.append(("50 teams × 2 targets, rendered (dry run)", dry["narrate now --dry-run"], dry["baseline --dry-run"]))

    # The bodies the dry run prints, for curl to post.
    bodies = subprocess.run(narrate_cmd("now", "--dry-run", "--json").split(), capture_output=True, check=True, env=env).stdout
    requests_ = json.loads(bodies)
    posts = len(requests_)
    curl_config = os.path.join(work, "curl.cfg")
    with open(curl_config, "w") as f:
        for i, request in enumerate(requests_):
            path = os.path.join(work, f"body{i}.json")
            with open(path, "w") as b:
                b.write(request["body"])
            target = request["target"]
            team = target.split("-")[0][1:]
            url = env[f"SINK_{'DISCORD' if target.endswith('discord') else 'SLACK'}_{team}"]
            f.write(f'{"next" if i else ""}\nurl = "{url}"\ndata-binary = "@{path}"\nheader = "Content-Type: application/json"\n'
                    f'output = "/dev/null"\nsilent\n')

    send = hyperfine("deliver", [
        ("narrate now --force", narrate_cmd("now", "--force", "--wait", "60")),
        ("baseline (requests)", cmd(baseline)),
        ("baseline (apprise)", cmd(baseline + ["--apprise"])),
        ("curl, same bodies", cmd(["curl", "--config", curl_config])),
    ], args.runs, work)
    rows.append(("50 teams × 2 targets, rendered and delivered", send["narrate now --force"], send["baseline (requests)"]))
    rows.append(("… against Apprise delivering", send["narrate now --force"], send["baseline (apprise)"]))
    per_post = (send["narrate now --force"] - dry["narrate now --dry-run"]) / posts
    rows.append((f"delivery per POST ({posts} POSTs) against curl", per_post, send["curl, same bodies"] / posts))

    history = hyperfine("history", [
        ("narrate, 280k entries", narrate_cmd("now", "--dry-run")),
        ("narrate, 10k entries", narrate_cmd("now", "--dry-run", config=small_config, state=small_state)),
        ("narrate, 8 weeks", narrate_cmd("now", "--dry-run", config=full_config, state=full_state)),
    ], args.runs, work)
    rows.append(("history 280k against 10k entries", history["narrate, 280k entries"], history["narrate, 10k entries"]))
    rows.append(("history 280k against 8 weeks (every window full)", history["narrate, 280k entries"],
                 history["narrate, 8 weeks"]))

    one = hyperfine("one-team", [
        ("narrate preview --team t0", narrate_cmd("preview", "--team", "t0")),
        ("baseline --team t0", cmd(baseline + ["--dry-run", "--team", "t0"])),
        ("narrate check --offline", narrate_cmd("check", "--offline")),
    ], args.runs, work)
    rows.append(("one team, rendered", one["narrate preview --team t0"], one["baseline --team t0"]))
    rows.append(("check, 1,000 people and 250 KPIs (absolute)", one["narrate check --offline"], None))

    peak_wal = peak_rss(narrate_cmd("now", "--dry-run").split(), env)
    checkpoint(state)
    peak = peak_rss(narrate_cmd("now", "--dry-run").split(), env)
    print(json.dumps({"case": "peak memory, 50-team dry run", "mib": round(peak, 1), "mib_before_checkpoint": round(peak_wal, 1)}),
          flush=True)
    idle = None
    if args.idle:
        wakeups, rss_start, rss_end, anonymous = idle_daemon(binary, config, state, env, args.idle)
        idle = (wakeups, rss_start, rss_end, anonymous)
        print(json.dumps({"case": "idle daemon", "wakeups_per_minute": round(wakeups, 1), "rss_mib_start": round(rss_start, 1),
                          "rss_mib_end": round(rss_end, 1), "anonymous_mib": round(anonymous, 1)}), flush=True)

    print()
    print(f"| work | narrate | baseline | ratio |")
    print(f"|---|---:|---:|---:|")
    for label, ours, theirs in rows:
        unit = "ms"
        if theirs is None:
            print(f"| {label} | {ours * 1000:.1f} {unit} | — | — |")
        else:
            print(f"| {label} | {ours * 1000:.2f} {unit} | {theirs * 1000:.2f} {unit} | {ours / theirs:.2f}× |")
    print(f"| peak memory, 50-team dry run (store checkpointed; before: {peak_wal:.1f} MiB) | {peak:.1f} MiB | | |")
    if idle:
        print(f"| idle daemon, 50 schedules | {idle[0]:.1f} wakeups/min, {idle[1]:.1f} → {idle[2]:.1f} MiB "
              f"({idle[3]:.1f} MiB anonymous) | | |")


if __name__ == "__main__":
    main()
