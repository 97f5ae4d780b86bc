#!/usr/bin/env python3
"""Reads a message as a mail client would (Python's email package) and prints what it sees as
JSON: decoded headers, the raw Subject, and each MIME part's type, charset and decoded text."""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as handle:
    raw = handle.read()
message = email.message_from_bytes(raw, policy=email.policy.default)
compat = email.message_from_bytes(raw)
parts = []
for part in message.walk():
    if part.is_multipart():
        continue
    parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                  "encoding": part.get("Content-Transfer-Encoding"), "text": part.get_content()})
print(json.dumps({
    "from": str(message["From"]), "to": str(message["To"]), "subject": str(message["Subject"]),
    "raw_subject": compat["Subject"], "date": str(message["Date"]), "message_id": str(message["Message-ID"]),
    "content_type": message.get_content_type(), "defects": [str(d) for d in message.defects],
    "long_lines": [len(line) for line in raw.split(b"\r\n") if len(line) > 998],
    "parts": parts,
}, ensure_ascii=False))
