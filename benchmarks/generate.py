#!/usr/bin/env python3
"""Generates the benchmark organisation: 1,000 people in 50 teams with a year of history.

    python3 benchmarks/generate.py --binary .build/release/narrate --out DIR [--weeks 52] [--seed 7]

Writes DIR/narrate.toml (50 teams of 20, 5 KPIs a team = 250, a weekly schedule a team, two
webhook targets a team = 100, pointing at $SINK/<team>/<kind>), creates the store with narrate
itself, then writes entries (about 5.4 a person a week: ≈280,000 for 52 weeks), mood
check-ins and KPI readings straight into it. Deterministic: the same seed gives the same data.
"""
import argparse
import os
import random
import sqlite3
import subprocess
import time

TEAMS = 50
PER_TEAM = 20
# History runs back from the Monday of the current week (Asia/Taipei), so that narrate's and the
# baseline's reports of the current and the previous week have data whenever they run.
def current_monday():
    import datetime
    from zoneinfo import ZoneInfo
    now = datetime.datetime.now(ZoneInfo("Asia/Taipei"))
    monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.timestamp()


END = current_monday() + 7 * 86400
WORDS = ["deploy", "review", "spec", "queue", "cache", "pipeline", "refund", "billing", "*flag*", "@here", "<b>",
         "latency", "runbook", "on-call", "migration", "schema", "dashboard", "alert", "retry", "budget"]


def config(sink):
    out = ['[narrate]\ntimezone = "Asia/Taipei"\nlocale = "en"\n']
    for p in range(TEAMS * PER_TEAM):
        out.append(f'[[person]]\nid = "p{p}"\nname = "Person {p}"\nunix_user = "u{p}"\n')
    for t in range(TEAMS):
        members = ", ".join(f'"p{t * PER_TEAM + i}"' for i in range(PER_TEAM))
        out.append(f'[[team]]\nid = "t{t}"\nname = "Team {t}"\nmembers = [{members}]\n'
                   f'targets = ["t{t}-slack", "t{t}-discord"]\n')
        out.append(
            f'[[kpi]]\nid = "t{t}-lead"\nteam = "t{t}"\nname = "PR lead time"\nkind = "average"\nunit = "hours"\n'
            f'direction = "down"\ntarget = 24\nhorizon = "leading"\nreview = "weekly"\nguardrails = ["t{t}-cfr"]\nobjective = "x"\nby = "2027-12-31"\n')
        out.append(
            f'[[kpi]]\nid = "t{t}-deploys"\nteam = "t{t}"\nname = "Deploys"\nkind = "count"\nunit = "deploys"\n'
            f'direction = "up"\ntarget = 10\nhorizon = "leading"\nreview = "weekly"\nguardrails = ["t{t}-incidents"]\nobjective = "x"\nby = "2027-12-31"\n')
        out.append(
            f'[[kpi]]\nid = "t{t}-tickets"\nteam = "t{t}"\nname = "Tickets closed"\nkind = "count"\nunit = "tickets"\n'
            f'direction = "up"\ntarget = 40\nhorizon = "lagging"\nreview = "weekly"\nguardrails = ["t{t}-incidents"]\nobjective = "x"\nby = "2027-12-31"\n')
        out.append(
            f'[[kpi]]\nid = "t{t}-cfr"\nteam = "t{t}"\nname = "Change failure rate"\nrole = "guardrail"\nkind = "ratio"\n'
            f'unit = "%"\ndirection = "down"\nlimit = 15\nreview = "weekly"\n')
        out.append(
            f'[[kpi]]\nid = "t{t}-incidents"\nteam = "t{t}"\nname = "Incident minutes"\nrole = "guardrail"\n'
            f'kind = "count"\nunit = "minutes"\ndirection = "down"\nlimit = 120\nreview = "weekly"\n')
        out.append(f'[[schedule]]\nid = "t{t}-weekly"\nteam = "t{t}"\ncron = "0 17 * * FRI"\nperiod = "week"\n')
        for kind in ("slack", "discord"):
            out.append(f'[[target]]\nid = "t{t}-{kind}"\nkind = "{kind}"\nurl_env = "SINK_{kind.upper()}_{t}"\n'
                       f'rate = 1000\n')
    return "\n".join(out)


def environment(sink):
    """The targets' URLs, as the environment variables the config names."""
    env = {}
    for t in range(TEAMS):
        env[f"SINK_SLACK_{t}"] = f"{sink}/slack/services/T0/B{t}/x{t}"
        env[f"SINK_DISCORD_{t}"] = f"{sink}/discord/api/webhooks/{t}/token{t}"
    return env


def seed(db, weeks, rng):
    con = sqlite3.connect(db)
    entries, moods, readings = [], [], []
    week_seconds = 7 * 86400
    for week in range(weeks):
        start = END - (week + 1) * week_seconds
        for p in range(TEAMS * PER_TEAM):
            person = f"p{p}"
            for _ in range(rng.choice((4, 5, 5, 6, 6, 7))):
                at = start + rng.random() * 5 * 86400 + 8 * 3600
                if at > time.time():
                    at = start + (time.time() - start) * rng.random()
                kind = rng.choice(["progress", "progress", "progress", "next", "learned", "blocker", "win"])
                state, closed, stage = None, None, None
                if kind in ("next", "blocker"):
                    state = "open"
                    if rng.random() < 0.85 or week > 2:
                        state = ("done" if rng.random() < 0.7 else "dropped") if kind == "next" else "resolved"
                        closed = at + rng.random() * 9 * 86400
                    if kind == "blocker":
                        stage = rng.choice(["front", "middle", "back", None])
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14)))
                entries.append((person, kind, text, stage, None, at, state, closed, None, at))
            if rng.random() < 0.6:
                moods.append((person, rng.randint(2, 5), rng.randint(1, 5), start + 4 * 86400 + 9 * 3600))
        for t in range(TEAMS):
            for kpi, low, high in (("lead", 12, 48), ("deploys", 3, 14), ("tickets", 20, 60), ("cfr", 4, 22),
                                   ("incidents", 10, 200)):
                for n in range(2):
                    readings.append((f"t{t}-{kpi}", round(rng.uniform(low, high), 1), start + (2 + n * 2) * 86400))
    con.executemany("INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?)", entries)
    con.executemany("INSERT INTO mood (person, mood, load, at) VALUES (?,?,?,?)", moods)
    con.executemany("INSERT INTO metric (kpi, value, at) VALUES (?,?,?)", readings)
    con.commit()
    con.close()
    return len(entries)


def generate(binary, out, weeks, seed_value, sink="http://127.0.0.1:9"):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "narrate.toml")
    with open(path, "w") as f:
        f.write(config(sink))
    state = os.path.join(out, "state")
    # narrate creates (and migrates) its own store; the rows go in afterwards.
    subprocess.run([binary, "migrate", "--config", path, "--state-dir", state], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, **environment(sink)))
    count = seed(os.path.join(state, "narrate.sqlite"), weeks, random.Random(seed_value))
    return path, state, count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.time()
    path, state, count = generate(args.binary, args.out, args.weeks, args.seed)
    print(f"{path}: {TEAMS * PER_TEAM} people, {TEAMS} teams, {count} entries in {state} ({time.time() - started:.1f} s)")


if __name__ == "__main__":
    main()
