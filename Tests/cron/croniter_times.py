#!/usr/bin/env python3
"""Next fire times from croniter, an independent cron implementation, for narrate's tests.

Reads JSON cases [{"cron", "tz", "from", "count"}] on stdin; prints a JSON list of lists of
ISO 8601 times with offsets. narrate's own DST rules differ from croniter's on transition
days; the Swift test allows differences only there (see CronScheduleTests).
"""
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter


def times(case):
    zone = ZoneInfo(case["tz"])
    start = datetime.fromisoformat(case["from"]).astimezone(zone)
    iterator = croniter(case["cron"], start)
    out = []
    for _ in range(case["count"]):
        fire = iterator.get_next(datetime).astimezone(zone)
        out.append(fire.isoformat())
    return out


print(json.dumps([times(case) for case in json.load(sys.stdin)]))
