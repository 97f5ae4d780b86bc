#!/usr/bin/env python3
"""The 50-team cycle as the daemon runs it, on each store, in one run.

    scripts/postgres.sh python3 benchmarks/stores.py [--binary .build/release/narrate-test-clock] [--runs 3] [--weeks 8]

Generates the organisation of benchmarks/generate.py (50 teams, 100 webhook targets, WEEKS of
history), copies its store into PostgreSQL with `narrate store copy`, and then, for each setup,
starts `narrate run` (the test-clock entry point, at real speed) three seconds before the
Friday 17:00 slot all 50 schedules share, and times from the slot to the loopback sink's
receipt of the cycle's last POST:

- SQLite, one instance (the default store);
- PostgreSQL, one instance;
- PostgreSQL, two instances on the one database (the slots and parts shared between them).

Each run starts from a fresh copy (a file copy; `CREATE DATABASE … TEMPLATE`). Needs the cluster
scripts/postgres.sh starts (NARRATE_TEST_POSTGRES_URL). Prints one JSON line a run and a table
of medians with the ratio to SQLite.
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402
from sink import Sink, SinkServer, serve  # noqa: E402

ARRIVALS = []
LOCK = threading.Lock()


class QuietServer(SinkServer):
    def handle_error(self, request, client_address):
        # A daemon stopped after the cycle drops its kept-alive connections: nothing to report.
        pass


class TimedSink(Sink):
    def do_POST(self):
        super().do_POST()
        with LOCK:
            ARRIVALS.append(time.monotonic())


def psql(url, password_file, sql):
    env = dict(os.environ, PGPASSWORD=open(password_file).read().strip())
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, env=env, stdout=subprocess.DEVNULL)


def next_friday_slot():
    """A Friday 17:00 in Asia/Taipei after the generated history (its last week is the current one)."""
    zone = ZoneInfo("Asia/Taipei")
    now = datetime.datetime.now(zone)
    friday = (now + datetime.timedelta(days=(4 - now.weekday()) % 7)).replace(hour=17, minute=0, second=0, microsecond=0)
    return friday


def cycle(binary, config, state, env, instances, expected):
    """Seconds from the slot to the last of `expected` POSTs, with `instances` daemons."""
    slot = next_friday_slot()
    start = (slot - datetime.timedelta(seconds=3)).isoformat()
    with LOCK:
        ARRIVALS.clear()
    run_env = dict(env, NARRATE_TEST_CLOCK_START=start, NARRATE_TEST_CLOCK_RATE="1")
    daemons = []
    began = time.monotonic()
    for _ in range(instances):
        daemons.append(subprocess.Popen([binary, "run", "--config", config, "--state-dir", state], env=run_env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    slot_at = began + 3
    deadline = slot_at + 120
    while time.monotonic() < deadline:
        with LOCK:
            if len(ARRIVALS) >= expected:
                break
        time.sleep(0.02)
    for daemon in daemons:
        daemon.terminate()
    logs = [daemon.communicate(timeout=60)[1] for daemon in daemons]
    with LOCK:
        arrivals = sorted(ARRIVALS)
    if len(arrivals) < expected:
        raise SystemExit(f"only {len(arrivals)} of {expected} POSTs arrived:\n" + "\n".join(log[-2000:] for log in logs))
    return arrivals[expected - 1] - slot_at


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/narrate-test-clock"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("NARRATE_TEST_POSTGRES_URL")
    password_file = os.environ.get("NARRATE_TEST_POSTGRES_PASSWORD_FILE")
    if not url or not password_file:
        raise SystemExit("run through scripts/postgres.sh: it starts the PostgreSQL cluster this needs")
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="narrate-stores-")
    sink, env = serve(QuietServer, TimedSink)

    config, state, entries = generate.generate(binary, os.path.join(work, "org"), args.weeks, 7, sink)
    expected = len(json.loads(subprocess.run([binary, "now", "--dry-run", "--json", "--config", config, "--state-dir", state],
                                             capture_output=True, check=True, env=env).stdout))
    base = url.rsplit("/", 1)[0]
    psql(url, password_file, "CREATE DATABASE seeded")
    pg_config = os.path.join(work, "pg.toml")

    def write_pg_config(database):
        with open(config) as f:
            text = f.read()
        with open(pg_config, "w") as f:
            f.write(text + f'\n[store]\nurl = "{base}/{database}?sslmode=disable"\npassword_file = "{password_file}"\n')

    write_pg_config("seeded")
    copied = time.monotonic()
    subprocess.run([binary, "store", "copy", "--from", "sqlite:" + state, "--config", pg_config], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    print(json.dumps({"entries": entries, "posts": expected, "store_copy_s": round(time.monotonic() - copied, 2), "work": work}),
          flush=True)

    setups = [("sqlite, 1 instance", "sqlite", 1), ("postgres, 1 instance", "postgres", 1), ("postgres, 2 instances", "postgres", 2)]
    results = {name: [] for name, _, _ in setups}
    for run in range(args.runs):
        for name, store, instances in setups:
            fresh = os.path.join(work, f"run-{run}-{store}-{instances}")
            if store == "sqlite":
                shutil.copytree(state, fresh)
                seconds = cycle(binary, config, fresh, env, instances, expected)
            else:
                database = f"run_{run}_{instances}"
                psql(url, password_file, f"CREATE DATABASE {database} TEMPLATE seeded")
                write_pg_config(database)
                os.makedirs(fresh)
                seconds = cycle(binary, pg_config, fresh, env, instances, expected)
                psql(url, password_file, f"DROP DATABASE {database}")
            results[name].append(seconds)
            print(json.dumps({"setup": name, "run": run, "seconds": round(seconds, 3)}), flush=True)

    sqlite = statistics.median(results["sqlite, 1 instance"])
    print(f"\n| the 50-team cycle ({expected} POSTs), slot to last POST | median | against SQLite |")
    print("|---|---|---|")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"| {name} | {median * 1000:.0f} ms | {median / sqlite:.2f}× |")


if __name__ == "__main__":
    main()
