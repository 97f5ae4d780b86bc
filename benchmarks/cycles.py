#!/usr/bin/env python3
"""Resident memory of the daemon over many cycles: does it grow?

    swift build -c release --product narrate-test-clock
    python3 benchmarks/cycles.py [--binary .build/release/narrate-test-clock] [--cycles 110]

Runs `narrate run` on the example config with its schedule set to every minute, under the
test-only entry point whose clock runs 60 times faster (a slot a second; reports go to stdout
and a file), and prints the resident and the anonymous memory (/proc/PID/smaps_rollup) after
10, 25, 50 and 75 cycles and at the end.
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/narrate-test-clock"))
    parser.add_argument("--cycles", type=int, default=110)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="narrate-cycles-")
    with open(os.path.join(ROOT, "config/narrate.example.toml")) as f:
        text = f.read()
    text = text.replace('cron = "0 17 * * FRI"', 'cron = "* * * * *"').replace('period = "week" ', 'period = "since-last" ')
    with open(os.path.join(work, "narrate.toml"), "w") as f:
        f.write(text)
    env = dict(os.environ, NARRATE_TEST_CLOCK_START="2026-11-27T09:00:01Z", NARRATE_TEST_CLOCK_RATE="60", NARRATE_SOCKET="")
    log_path = os.path.join(work, "log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([args.binary, "run", "--config", os.path.join(work, "narrate.toml"),
                                 "--state-dir", os.path.join(work, "state")], env=env, stdout=subprocess.DEVNULL, stderr=log)

    def memory():
        with open(f"/proc/{proc.pid}/smaps_rollup") as f:
            rollup = f.read()
        return {key: int(re.search(key + r":\s+(\d+)", rollup).group(1)) / 1024 for key in ("Rss", "Anonymous")}

    def cycles():
        with open(log_path) as f:
            return f.read().count("queued")

    marks = {}
    while cycles() < args.cycles:
        done = cycles()
        if done in (10, 25, 50, 75) and done not in marks:
            marks[done] = memory()
        time.sleep(0.2)
    time.sleep(0.5)
    marks[cycles()] = memory()
    proc.terminate()
    proc.wait()
    shutil.rmtree(work)
    for done, mark in sorted(marks.items()):
        print(f"after {done:4} cycles: resident {mark['Rss']:.1f} MiB, anonymous {mark['Anonymous']:.1f} MiB")


if __name__ == "__main__":
    main()
