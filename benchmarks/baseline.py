#!/usr/bin/env python3
"""The script a team would write instead of narrate: the baseline of benchmarks/compare.py.

    python3 benchmarks/baseline.py CONFIG STATE_DIR [--dry-run] [--apprise]

It reads the same config (tomllib) and the same SQLite store, and for every team renders last
week's report with Jinja2 — the same sections as narrate's: who reported, KPIs against the
previous week with guardrails and side effects, small improvements, open blockers by stage,
each person's narrative, mood, learnings — then posts it to the team's Slack and Discord
webhooks with requests (or Apprise with --apprise), split to each platform's size. --dry-run
prints the bodies instead. Straightforward on purpose: no caching beyond what is obvious.
"""
import argparse
import datetime
import json
import os
import sqlite3
import sys
import tomllib
from zoneinfo import ZoneInfo

import jinja2

TEMPLATE = """# {{ team.name }} · week of {{ period }}

**Reported:** {{ reported|join(', ') or 'nobody' }}{% if missing %} · **No report yet:** {{ missing|join(', ') }}{% endif %}

## KPIs

| KPI | This period | Before | Target | Trend | Guardrails | Verdict |
|---|---|---|---|---|---|---|
{% for k in kpis -%}
| {{ k.name }} | {{ k.current }} | {{ k.previous }} | {{ k.target }} | {{ k.trend }} | {% for g in k.guardrails %}{{ g.name }} {{ g.current }} (limit {{ g.limit }}): {{ g.state }}{% if not loop.last %}; {% endif %}{% endfor %} | {{ k.verdict }} |
{% endfor %}
{% for k in kpis if k.verdict == 'side effect' %}
> ⚠️ **Side effect:** {{ k.name }} moved the better way ({{ k.previous }} → {{ k.current }}), but a guardrail breached or worsened. This is not counted as an improvement.
{% endfor %}

## Small improvements

{% for b in resolved -%}
- Blocker resolved: {{ b.text|e }} ({{ b.person }}; {{ b.stage or 'no' }} stage, open {{ b.days }} days)
{% endfor -%}
{% if follow.total %}- Next actions followed through: {{ follow.done }} done, {{ follow.carried }} carried, {{ follow.dropped }} dropped; {{ follow.rate }}% completed
{% endif -%}
{% for k in kpis if k.verdict == 'improving' -%}
- {{ k.name }} moved toward its target ({{ k.previous }} → {{ k.current }}) with every guardrail holding
{% endfor -%}
{% for w in wins -%}
- Win: {{ w.text|e }} ({{ w.person }})
{% endfor %}

## Open blockers by stage

{% for stage, items in blockers.items() -%}
### {{ stage }} ({{ items|length }})

{% for b in items -%}
- {{ b.text|e }} ({{ b.person }}, open {{ b.days }} days){% if b.days > 5 %} **needs the manager's attention**{% endif %}
{% endfor %}
{% endfor %}
## Narratives

{% for p in people -%}
### {{ p.name }}

{% if p.progress %}**Progress**

{% for e in p.progress %}- {{ e|e }}
{% endfor %}
{% endif %}{% if p.blockers %}**Blockers**

{% for e in p.blockers %}- {{ e|e }}
{% endfor %}
{% endif %}{% if p.next %}**Next**

{% for e in p.next %}- {{ e|e }}
{% endfor %}
{% endif %}{% if p.learned %}**Learned**

{% for e in p.learned %}- {{ e|e }}
{% endfor %}
{% endif %}
{% endfor %}
{% if mood %}## Load and mood

{{ mood.answered }} people answered: mood {{ mood.mood }} of 5, load {{ mood.load }} of 5.
{% endif %}
"""


def week_of(now, zone):
    """The ISO week containing `now`, as narrate's `period = "week"` reports it."""
    local = now.astimezone(zone)
    monday = (local - datetime.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.timestamp(), (monday + datetime.timedelta(days=7)).timestamp(), monday


def average(values):
    return round(sum(values) / len(values), 1) if values else None


def report(db, config, team, template, now):
    zone = ZoneInfo(team.get("timezone", config.get("narrate", {}).get("timezone", "UTC")))
    start, end, first = week_of(now, zone)
    prev_start = start - 7 * 86400
    people = {p["id"]: p for p in config["person"]}
    members = team["members"]
    marks = ",".join("?" * len(members))
    rows = db.execute(f"SELECT person, kind, text, stage, at, state, closed_at FROM entry WHERE person IN ({marks}) "
                      f"AND at >= ? AND at < ? ORDER BY at", members + [start, end]).fetchall()
    open_blockers = db.execute(f"SELECT person, text, stage, at FROM entry WHERE person IN ({marks}) AND kind = 'blocker' "
                               f"AND at < ? AND (closed_at IS NULL OR closed_at >= ?) ORDER BY at", members + [end, end]).fetchall()
    followed = db.execute(f"SELECT state, closed_at FROM entry WHERE person IN ({marks}) AND kind = 'next' AND at < ? "
                          f"AND (closed_at IS NULL OR closed_at >= ?)", members + [start, start]).fetchall()
    resolved = db.execute(f"SELECT person, text, stage, at, closed_at FROM entry WHERE person IN ({marks}) AND kind = 'blocker' "
                          f"AND state = 'resolved' AND closed_at >= ? AND closed_at < ?", members + [start, end]).fetchall()
    kpis = []
    by_id = {k["id"]: k for k in config["kpi"]}
    for kpi in [k for k in config["kpi"] if k["team"] == team["id"] and k.get("role", "core") == "core"]:
        def values(kid, a, b):
            return [r[0] for r in db.execute("SELECT value FROM metric WHERE kpi = ? AND at >= ? AND at < ?", (kid, a, b))]
        current, previous = average(values(kpi["id"], start, end)), average(values(kpi["id"], prev_start, start))
        better = current is not None and previous is not None and (
            current < previous if kpi.get("direction") == "down" else current > previous)
        guards, harmed = [], False
        for gid in kpi.get("guardrails", []):
            g = by_id[gid]
            gc, gp = average(values(gid, start, end)), average(values(gid, prev_start, start))
            worse = gc is not None and (gc > g["limit"] if g.get("direction") == "down" else gc < g["limit"])
            harmed = harmed or worse
            guards.append({"name": g["name"], "current": gc, "limit": g["limit"], "state": "breached" if worse else "holding"})
        verdict = "no data" if current is None or previous is None else (
            "side effect" if better and harmed else "improving" if better else "worsening")
        kpis.append({"name": kpi["name"], "current": current, "previous": previous, "target": kpi.get("target"),
                     "trend": "↑" if (current or 0) > (previous or 0) else "↓", "guardrails": guards, "verdict": verdict})
    narratives = []
    reported = []
    for pid in members:
        own = [r for r in rows if r[0] == pid]
        if own:
            reported.append(people[pid]["name"])
        narratives.append({"name": people[pid]["name"], **{kind: [r[2] for r in own if r[1] == kind]
                                                           for kind in ("progress", "blocker", "next", "learned")}})
        narratives[-1]["blockers"] = narratives[-1].pop("blocker")
    stages = {}
    for b in open_blockers:
        stages.setdefault(b[2] or "no stage", []).append({"text": b[1], "person": people[b[0]]["name"],
                                                          "days": int((end - b[3]) / 86400)})
    done = sum(1 for f in followed if f[0] == "done" and f[1] is not None and f[1] < end)
    dropped = sum(1 for f in followed if f[0] == "dropped" and f[1] is not None and f[1] < end)
    follow = {"done": done, "dropped": dropped, "carried": len(followed) - done - dropped, "total": len(followed),
              "rate": round(100 * done / len(followed)) if followed else 0}
    moods = db.execute(f"SELECT mood, load FROM mood WHERE person IN ({marks}) AND at >= ? AND at < ?",
                       members + [start, end]).fetchall()
    mood = {"answered": len(moods), "mood": average([m[0] for m in moods]), "load": average([m[1] for m in moods])} \
        if len(moods) >= 3 else None
    return template.render(
        team=team, period=first.strftime("%-d %b %Y"), reported=reported,
        missing=[people[p]["name"] for p in members if people[p]["name"] not in reported], kpis=kpis,
        resolved=[{"text": r[1], "person": people[r[0]]["name"], "stage": r[2], "days": int((r[4] - r[3]) / 86400)}
                  for r in resolved],
        follow=follow, wins=[{"text": r[2], "person": people[r[0]]["name"]} for r in rows if r[1] == "win"],
        blockers=stages, people=narratives, mood=mood)


def split(text, limit):
    parts, current = [], ""
    for block in text.split("\n\n"):
        if current and len(current) + 2 + len(block) > limit:
            parts.append(current)
            current = ""
        current = block if not current else current + "\n\n" + block
        while len(current) > limit:
            parts.append(current[:limit])
            current = current[limit:]
    if current:
        parts.append(current)
    return parts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("state")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--apprise", action="store_true")
    parser.add_argument("--team")
    args = parser.parse_args()
    with open(args.config, "rb") as f:
        config = tomllib.load(f)
    db = sqlite3.connect(os.path.join(args.state, "narrate.sqlite"))
    template = jinja2.Environment(autoescape=False).from_string(TEMPLATE)
    now = datetime.datetime.now(datetime.timezone.utc)
    targets = {t["id"]: t for t in config.get("target", [])}
    session = None
    if not args.dry_run and not args.apprise:
        import requests
        session = requests
    if args.apprise:
        import apprise
    out = sys.stdout
    for team in config["team"]:
        if args.team and team["id"] != args.team:
            continue
        markdown = report(db, config, team, template, now)
        for tid in team.get("targets", []):
            target = targets[tid]
            url = os.environ[target["url_env"]]
            limit = 2000 if target["kind"] == "discord" else 4000
            for body in split(markdown, limit):
                payload = {"content": body} if target["kind"] == "discord" else {"text": body}
                if args.dry_run:
                    out.write(f"=== {team['id']} → {tid}: POST\n{json.dumps(payload)}\n")
                elif args.apprise:
                    apprise.Apprise.instantiate("json://" + url.split("://", 1)[1]).notify(body=json.dumps(payload))
                else:
                    response = session.post(url, json=payload, timeout=30)
                    response.raise_for_status()


if __name__ == "__main__":
    main()
