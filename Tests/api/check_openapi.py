#!/usr/bin/env python3
"""Checks docs/openapi.yaml against a running narrate check-in service: the document is valid
OpenAPI 3.1, and every operation it lists answers with a documented status and a body that
matches the documented schema, for its example request and for a bad one.

usage: check_openapi.py SPEC BASE_URL API_TOKEN LINK_TOKEN
Prints a JSON summary; exits 1 listing every mismatch.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import yaml
from openapi_spec_validator import validate

spec_path, base, api_token, link_token = sys.argv[1:5]
with open(spec_path) as handle:
    spec = yaml.safe_load(handle)
validate(spec)

# Component schemas as JSON Schema 2020-12 $defs.
defs = json.loads(json.dumps(spec["components"]["schemas"]).replace("#/components/schemas/", "#/$defs/"))
responses = spec["components"]["responses"]
problems = []
exercised = set()


def schema_for(operation, status, content_type="application/json"):
    response = operation["responses"].get(str(status))
    if response is None:
        return None, False
    if "$ref" in response:
        response = responses[response["$ref"].split("/")[-1]]
    media = response.get("content", {}).get(content_type)
    if media is None:
        return None, True
    schema = json.loads(json.dumps(media["schema"]).replace("#/components/schemas/", "#/$defs/"))
    return {"$defs": defs, **schema}, True


def call(method, path, body=None, token=api_token, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method.upper())
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None and raw is None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def check(template, method, path, body=None, expect=None, **options):
    operation = spec["paths"][template][method]
    exercised.add((template, method))
    status, content_type, payload = call(method, path, body, **options)
    label = f"{method.upper()} {path} -> {status}"
    if expect is not None and status != expect:
        problems.append(f"{label}: expected {expect}: {payload[:300]!r}")
    schema, documented = schema_for(operation, status, content_type.split(";")[0])
    if not documented:
        problems.append(f"{label}: status not documented")
        return status, payload
    if schema is not None and content_type.startswith("application/json"):
        try:
            jsonschema.validate(json.loads(payload), schema, cls=jsonschema.Draft202012Validator,
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        except jsonschema.ValidationError as error:
            problems.append(f"{label}: body does not match the schema: {error.message}")
    return status, payload


def example(template, method):
    return spec["paths"][template][method]["requestBody"]["content"]["application/json"]["example"]


status, created = check("/v1/entries", "post", "/v1/entries", example("/v1/entries", "post"), expect=201)
ref = json.loads(created)["ref"]
check("/v1/entries", "post", "/v1/entries", {"kind": "rant", "text": "x"}, expect=400)
check("/v1/entries", "post", "/v1/entries", example("/v1/entries", "post"), token="nra_wrong", expect=401)
check("/v1/entries", "get", "/v1/entries?since=-7d", expect=200)
check("/v1/entries", "get", "/v1/entries?since=whenever", expect=400)
check("/v1/entries/{id}", "patch", f"/v1/entries/{ref}", {"text": "Waiting on legal review"}, expect=200)
check("/v1/entries/{id}", "patch", f"/v1/entries/{ref}", example("/v1/entries/{id}", "patch"), expect=200)
check("/v1/entries/{id}", "patch", f"/v1/entries/{ref}", example("/v1/entries/{id}", "patch"), expect=409)
check("/v1/entries/{id}", "delete", f"/v1/entries/{ref}", expect=200)
check("/v1/entries/{id}", "delete", "/v1/entries/P-99999", expect=404)
check("/v1/undo", "post", "/v1/undo", expect=200)
check("/v1/metrics", "post", "/v1/metrics", example("/v1/metrics", "post"), expect=201)
check("/v1/metrics", "post", "/v1/metrics", {"kpi": "lead-time"}, expect=400)
status, listed = check("/v1/metrics", "get", "/v1/metrics?kpi=lead-time&since=-1d", expect=200)
reading_at = urllib.parse.quote(json.loads(listed)[-1]["at"], safe="")
check("/v1/metrics", "get", "/v1/metrics?since=whenever", expect=400)
check("/v1/metrics/{kpi}", "delete", f"/v1/metrics/lead-time?at={reading_at}", expect=200)
check("/v1/metrics/{kpi}", "delete", f"/v1/metrics/lead-time?at={reading_at}", expect=404)
check("/v1/moods", "post", "/v1/moods", example("/v1/moods", "post"), expect=201)
check("/v1/moods", "post", "/v1/moods", {"mood": 0}, expect=400)
status, away = check("/v1/absences", "post", "/v1/absences", example("/v1/absences", "post"), expect=201)
check("/v1/absences", "post", "/v1/absences", {"from": "2031-03-06", "to": "2031-03-02"}, expect=400)
check("/v1/absences", "get", "/v1/absences?since=2031-01-01", expect=200)
check("/v1/absences", "get", "/v1/absences?person=nobody", expect=400)
check("/v1/absences/{id}", "delete", f"/v1/absences/{json.loads(away)['id']}", expect=200)
check("/v1/absences/{id}", "delete", "/v1/absences/999999", expect=404)
check("/healthz", "get", "/healthz", token=None, expect=200)
check("/metrics", "get", "/metrics", token=None, expect=200)
check("/checkin/{token}", "get", f"/checkin/{link_token}", token=None, expect=200)
check("/checkin/{token}", "get", "/checkin/nrl_wrong", token=None, expect=401)
check("/checkin/{token}", "post", f"/checkin/{link_token}", token=None, raw=b"action=log&kind=win&text=x",
      headers={"Content-Type": "application/x-www-form-urlencoded"}, expect=403)
form = {"Content-Type": "application/x-www-form-urlencoded"}
check("/slack/commands", "post", "/slack/commands", token=None, raw=b"user_id=U1&text=me", headers=form, expect=401)
check("/mattermost/commands", "post", "/mattermost/commands", token=None, raw=b"token=wrong&text=me", headers=form, expect=401)
check("/discord/interactions", "post", "/discord/interactions", token=None, raw=b'{"type":1}',
      headers={"Content-Type": "application/json"}, expect=401)

documented = {(path, method) for path, item in spec["paths"].items() for method in item if method != "parameters"}
for missing in sorted(documented - exercised):
    problems.append(f"{missing[1].upper()} {missing[0]} is documented but not exercised")

print(json.dumps({"operations": len(documented), "exercised": len(exercised), "problems": problems}))
sys.exit(1 if problems else 0)
