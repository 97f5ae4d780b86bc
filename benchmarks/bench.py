#!/usr/bin/env python3
"""narrate's benchmarks: wall time and peak memory of the real binary on generated data.

    python3 benchmarks/bench.py [--binary .build/release/narrate] [--runs 5]

Each figure is the median of --runs runs; peak memory is ru_maxrss of the child process.
The machine is shared and noisy, so read the ratios within one run (a team of 50 against a
team of 5, a 1 MB report against a 10 KB one), not the absolute numbers across runs.
"""
import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sink import Sink, SinkServer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, args, env=None, stdin=None):
    """Runs the binary once; returns (seconds, peak RSS in MiB of that process, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    writer = threading.Thread(target=lambda: (proc.stdin.write(stdin or b""), proc.stdin.close()))
    writer.start()
    out = proc.stdout.read()
    writer.join()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{args[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024, out


def measure(label, runs, fn):
    times, peaks = [], []
    for _ in range(runs):
        seconds, peak = fn()
        times.append(seconds)
        peaks.append(peak)
    result = {"label": label, "median_ms": round(statistics.median(times) * 1000, 1), "peak_mib": round(max(peaks), 1)}
    print(json.dumps(result), flush=True)
    return result


def team_config(people, path):
    persons = "".join(f'[[person]]\nid = "p{i}"\nname = "Person {i}"\n\n' for i in range(people))
    members = ", ".join(f'"p{i}"' for i in range(people))
    with open(os.path.join(ROOT, "config/narrate.example.toml")) as f:
        text = f.read()
    text = text.replace('members = ["alice", "bob", "chen", "dana"]', f"members = [{members}]")
    text = text.replace('targets = ["terminal", "archive"]', 'targets = ["archive"]')
    text = text.replace('[[team]]', persons + '[[team]]', 1)
    with open(path, "w") as f:
        f.write(text)


def seed(db, people, weeks):
    """Writes realistic entries straight into the store narrate created (12 a person a week)."""
    random.seed(7)
    con = sqlite3.connect(db)
    now = time.time()
    rows = []
    for week in range(weeks):
        for person in range(people):
            for n in range(12):
                at = now - week * 7 * 86400 - random.random() * 5 * 86400
                kind = random.choice(["progress", "progress", "progress", "next", "learned", "blocker", "win"])
                state = "open" if kind in ("next", "blocker") else None
                closed = None
                if state and random.random() < 0.6:
                    state = "done" if kind == "next" else "resolved"
                    closed = at + random.random() * 5 * 86400
                stage = random.choice(["front", "middle", "back", None]) if kind == "blocker" else None
                text = f"week {week} item {n}: " + " ".join(random.choice(["deploy", "review", "spec", "queue", "cache", "*flag*", "@here", "<b>"]) for _ in range(12))
                rows.append((f"p{person}", kind, text, stage, None, at, state, closed, None, at))
    con.executemany("INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/narrate"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary, runs = args.binary, args.runs
    work = tempfile.mkdtemp(prefix="narrate-bench-")
    env = dict(os.environ, HOME=work)
    results = []

    # 1. One `narrate log`: start, parse the config, open the store, write, exit.
    config = os.path.join(work, "small.toml")
    team_config(5, config)
    state = os.path.join(work, "log-state")
    results.append(measure("log one entry (team of 5)", runs, lambda: run(
        binary, ["log", "progress", "benchmark entry", "--as", "p1", "--config", config, "--state-dir", state], env)[:2]))

    # 2. Preview: gather, analyze, render, for a team of 5 and of 50 with 12 weeks of history.
    for people in (5, 50):
        config = os.path.join(work, f"team{people}.toml")
        team_config(people, config)
        state = os.path.join(work, f"state{people}")
        run(binary, ["log", "progress", "first", "--as", "p0", "--config", config, "--state-dir", state], env)
        count = seed(os.path.join(state, "narrate.sqlite"), people, 12)
        results.append(measure(f"preview, team of {people} ({count} entries in store)", runs, lambda: run(
            binary, ["preview", "--config", config, "--state-dir", state], env)[:2]))

    # 3. Format: convert and split a report for Slack and Telegram, 10 KB and 1 MB.
    _, _, report = run(binary, ["preview", "--config", os.path.join(work, "team50.toml"), "--state-dir", os.path.join(work, "state50")], env)
    small = report[:10_000].rsplit(b"\n", 1)[0] + b"\n"
    large = report * max(1, 1_000_000 // max(1, len(report)))
    for dialect in ("slack", "telegram"):
        for name, text in (("10 KB", small), (f"{len(large) // 1000} KB", large)):
            results.append(measure(f"format --dialect {dialect}, {name}", runs, lambda: run(
                binary, ["format", "--dialect", dialect, "--json"], env, stdin=text)[:2]))

    # 4. Delivery: `narrate now` sending a team-of-50 report in Discord-sized parts to a loopback sink.
    server = SinkServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = os.path.join(work, "team50.toml")
    with open(config) as f:
        text = f.read()
    text = text.replace('targets = ["archive"]', 'targets = ["sink"]')
    text += '\n[[target]]\nid = "sink"\nkind = "discord"\nurl_env = "SINK_URL"\nrate = 1000\n'
    with open(os.path.join(work, "deliver.toml"), "w") as f:
        f.write(text)
    denv = dict(env, SINK_URL=f"http://127.0.0.1:{server.server_address[1]}/discord/1/x")
    parts = subprocess.run([binary, "format", "--dialect", "discord", "--json"], input=report, capture_output=True, check=True).stdout
    results.append(measure(f"now: deliver {len(json.loads(parts))} Discord parts over HTTP", runs, lambda: run(
        binary, ["now", "--config", os.path.join(work, "deliver.toml"), "--state-dir", os.path.join(work, "state50")], denv)[:2]))

    print(json.dumps({"binary": binary, "runs": runs, "results": results}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
