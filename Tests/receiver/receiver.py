#!/usr/bin/env python3
"""A loopback chat receiver for narrate's delivery tests.

It speaks the webhook protocols narrate targets (status codes, bodies, size limits, rate-limit
answers) at one address, records every request, and can be told to misbehave:

    POST /_control  {"path": "/slack/", "plan": [{"status": 500}, {"status": 429, "retry_after": "1"},
                     {"close": true}, {"hang": 5}, {"status": 400, "body": "..."}, {"status": 200, "delay": 1.5},
                     {"status": 401, "body": {"error": "bad token {echo}"}}]}
    GET  /_requests  every request so far (method, path, query, headers, body)
    POST /_reset     forget requests and plans
    GET  /_delivered what LINE and DingTalk accepted, each retry key or msgUuid once

A plan entry {"pass": true} lets the platform answer as usual; {"accept_then_hang": 60} lets it
accept the request and holds its answer back 60 s.

A plan entry is used by the next request whose path starts with "path"; then the platform's
normal behaviour resumes. In a planned body, "{echo}" stands for the credentials the request
carried (its path and query, its Authorization header, a basic-auth password decoded), the way a
platform's error may quote a token back. Prints "PORT <n>" on stdout once it listens on 127.0.0.1.
"""
import base64
import hashlib
import hmac
import html.parser
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
REQUESTS = []
PLANS = {}          # path prefix -> list of actions
MATRIX_TXNS = {}    # (token, txn) -> event id
WEBHOOK_IDS = set()
STATE = {"event": 0}


def take_action(path):
    with LOCK:
        for prefix, plan in PLANS.items():
            if path.startswith(prefix) and plan:
                return plan.pop(0)
    return None


class TelegramHTML(html.parser.HTMLParser):
    """Checks Telegram's HTML subset: known tags, properly nested; counts the visible text."""
    ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.error, self.text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.error = f"Unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.error = f"Can't find end tag corresponding to start tag \"{self.stack[-1] if self.stack else tag}\""
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- plumbing ---------------------------------------------------------------------------
    def reply(self, status, body=b"", content_type="application/json", headers=None):
        if getattr(self, "hold", 0):
            time.sleep(self.hold)
            self.hold = 0
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body or status not in (204,):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path.startswith("/_"):
            return self.control(url, body)
        with LOCK:
            REQUESTS.append({
                "method": self.command, "path": url.path, "query": url.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"), "time": time.time(),
            })
        action = take_action(url.path)
        if action and (action.get("pass") or action.get("accept_then_hang")):
            # The platform takes the request as usual; with accept_then_hang its answer comes
            # that many seconds later (a sender killed meanwhile never learns it was accepted).
            self.hold = action.get("accept_then_hang", 0)
            action = None
        if action:
            if action.get("delay"):
                time.sleep(action["delay"])
            if action.get("hang"):
                time.sleep(action["hang"])
                self.close_connection = True
                return
            if action.get("close"):
                # Headers promise a body that never comes.
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            headers = dict(action.get("headers", {}))
            if "retry_after" in action:
                headers["Retry-After"] = str(action["retry_after"])
            body_out = action.get("body", "")
            if "{echo}" in json.dumps(body_out):
                body_out = self.echo(body_out)
            return self.reply(action["status"], body_out, action.get("content_type", "application/json"), headers)
        kind = url.path.split("/")[1]
        handler = getattr(self, "platform_" + kind.replace("-", "_"), None)
        if handler is None:
            return self.reply(404, {"error": "no such platform"})
        return handler(url, body)

    do_POST = do_PUT = do_GET = handle_any

    def credentials(self):
        """What a request carried that identifies its sender, as a platform might quote it."""
        auth = self.headers.get("Authorization") or ""
        words = [self.path, auth]
        if auth.startswith("Basic "):
            try:
                words.append(base64.b64decode(auth[6:]).decode())
            except Exception:
                pass
        return " ".join(w for w in words if w)

    def echo(self, value):
        """`value` with every "{echo}" replaced by the request's credentials."""
        if isinstance(value, str):
            return value.replace("{echo}", self.credentials())
        if isinstance(value, dict):
            return {k: self.echo(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.echo(v) for v in value]
        return value

    def control(self, url, body):
        if url.path == "/_github":
            with LOCK:
                GITHUB.clear()
                GITHUB.update(json.loads(body))
            return self.reply(200, {"ok": True})
        if url.path == "/_delivered":
            # What the platforms with idempotency keys delivered: each accepted once.
            with LOCK:
                return self.reply(200, {"line": LINE_DELIVERED, "dingtalk": DINGTALK_DELIVERED})
        if url.path == "/_requests":
            with LOCK:
                return self.reply(200, REQUESTS)
        if url.path == "/_reset":
            with LOCK:
                REQUESTS.clear(); PLANS.clear(); MATRIX_TXNS.clear(); WEBHOOK_IDS.clear()
                LINE_KEYS.clear(); LINE_DELIVERED.clear(); DINGTALK_UUIDS.clear(); DINGTALK_DELIVERED.clear()
            return self.reply(200, {"ok": True})
        if url.path == "/_control":
            spec = json.loads(body)
            with LOCK:
                PLANS.setdefault(spec["path"], []).extend(spec["plan"])
            return self.reply(200, {"ok": True})
        return self.reply(404, {})

    def json_body(self, body):
        try:
            return json.loads(body)
        except ValueError:
            return None

    # --- platforms --------------------------------------------------------------------------
    def platform_slack(self, url, body):
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            return self.reply(400, "invalid_payload", "text/plain")
        if len(payload["text"]) > 40000:
            return self.reply(400, "msg_too_long", "text/plain")
        return self.reply(200, "ok", "text/plain")

    def platform_discord(self, url, body):
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not payload.get("content"):
            return self.reply(400, {"message": "Cannot send an empty message", "code": 50006})
        if len(payload["content"]) > 2000:
            return self.reply(400, {"message": "Invalid Form Body", "code": 50035, "errors": {"content": {"_errors": [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}})
        if "wait=true" in url.query:
            STATE["event"] += 1
            return self.reply(200, {"id": str(1000 + STATE["event"]), "content": payload["content"]})
        return self.reply(204)

    def platform_mattermost(self, url, body):
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not payload.get("text"):
            return self.reply(400, {"id": "web.incoming_webhook.text.app_error", "message": "No text specified", "status_code": 400})
        if len(payload["text"]) > 16383:
            return self.reply(400, {"id": "web.incoming_webhook.text.length.app_error", "message": "Text too long", "status_code": 400})
        return self.reply(200, "ok", "text/plain")

    def platform_teams(self, url, body):
        payload = self.json_body(body)
        try:
            attachment = payload["attachments"][0]
            assert payload["type"] == "message"
            assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
            card = attachment["content"]
            assert card["type"] == "AdaptiveCard" and card["$schema"].startswith("http")
            assert all(block["type"] == "TextBlock" and isinstance(block["text"], str) for block in card["body"])
        except (TypeError, KeyError, IndexError, AssertionError):
            return self.reply(400, {"error": {"code": "InvalidRequestContent", "message": "The request content is not a valid Adaptive Card message."}})
        if len(body) > 28000:
            return self.reply(413, {"error": {"code": "MessageTooLarge", "message": "The message is too large."}})
        return self.reply(202)

    def platform_google_chat(self, url, body):
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not payload.get("text"):
            return self.reply(400, {"error": {"code": 400, "message": "Message cannot be empty.", "status": "INVALID_ARGUMENT"}})
        if len(payload["text"].encode()) > 32000:
            return self.reply(400, {"error": {"code": 400, "message": "Message is too long.", "status": "INVALID_ARGUMENT"}})
        return self.reply(200, {"name": "spaces/AAA/messages/1", "text": payload["text"]})

    def platform_telegram(self, url, body):
        payload = self.json_body(body)
        if not url.path.endswith("/sendMessage") or not isinstance(payload, dict):
            return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if str(payload.get("chat_id")) == "-1":
            return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if payload.get("parse_mode") != "HTML":
            return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: expected HTML"})
        checker = TelegramHTML()
        checker.feed(payload.get("text", ""))
        checker.close()
        if checker.error or checker.stack:
            return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities: " + (checker.error or "unclosed tag")})
        visible = "".join(checker.text)
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
        return self.reply(200, {"ok": True, "result": {"message_id": len(REQUESTS), "text": visible}})

    def platform_matrix(self, url, body):
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if token != "matrix-token":
            return self.reply(401, {"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed."})
        parts = url.path.split("/")
        if url.path.endswith("/_matrix/client/v3/createRoom") and self.command == "POST":
            payload = self.json_body(body)
            invite = payload.get("invite") if isinstance(payload, dict) else None
            if not isinstance(invite, list) or len(invite) != 1 or payload.get("is_direct") is not True:
                return self.reply(400, {"errcode": "M_INVALID_PARAM", "error": "a direct room invites one user"})
            with LOCK:
                STATE["event"] += 1
                room = "!dm%d:example.org" % STATE["event"]
            return self.reply(200, {"room_id": room})
        # /matrix/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}
        if self.command != "PUT" or len(parts) != 10 or parts[7] != "send":
            return self.reply(404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"})
        if len(body) > 65536:
            return self.reply(413, {"errcode": "M_TOO_LARGE", "error": "event too large"})
        payload = self.json_body(body)
        if not isinstance(payload, dict) or payload.get("msgtype") not in ("m.notice", "m.text") or "body" not in payload:
            return self.reply(400, {"errcode": "M_BAD_JSON", "error": "bad event"})
        key = (token, parts[9])
        with LOCK:
            if key not in MATRIX_TXNS:
                STATE["event"] += 1
                MATRIX_TXNS[key] = "$event%d" % STATE["event"]
            event = MATRIX_TXNS[key]
        return self.reply(200, {"event_id": event})

    def platform_slack_api(self, url, body):
        """Slack's Web API chat.postMessage, as a bot token uses it (200 with ok true or false)."""
        if (self.headers.get("Authorization") or "") != "Bearer xoxb-test-token":
            return self.reply(200, {"ok": False, "error": "invalid_auth"})
        if not url.path.endswith("/chat.postMessage"):
            return self.reply(404, {"ok": False, "error": "unknown_method"})
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not payload.get("channel"):
            return self.reply(200, {"ok": False, "error": "channel_not_found"})
        if not isinstance(payload.get("text"), str) or not payload["text"]:
            return self.reply(200, {"ok": False, "error": "no_text"})
        if payload["channel"] == "U0GONE":
            return self.reply(200, {"ok": False, "error": "user_not_found"})
        return self.reply(200, {"ok": True, "channel": "D" + payload["channel"][1:], "ts": "1700000000.%06d" % len(REQUESTS)})

    def platform_github(self, url, body):
        """GitHub's REST API for the github source: pages linked by `Link`, ETags answered with 304."""
        if (self.headers.get("Authorization") or "") != "Bearer ghp-test-token":
            return self.reply(401, {"message": "Bad credentials"})
        path = url.path[len("/github"):]
        query = urllib.parse.parse_qs(url.query)
        page = int(query.get("page", ["1"])[0])
        data = GITHUB.get(path)
        if data is None:
            return self.reply(404, {"message": "Not Found"})
        pages = [data[i:i + 2] for i in range(0, len(data), 2)] or [[]]
        items = pages[page - 1] if page <= len(pages) else []
        body_out = json.dumps(items).encode()
        etag = '"%s"' % hashlib.sha256(body_out).hexdigest()[:16]
        headers = {"ETag": etag, "X-RateLimit-Remaining": "4999"}
        if page < len(pages):
            base = "http://%s%s" % (self.headers.get("Host"), url.path)
            rest = {k: v[0] for k, v in query.items() if k != "page"}
            headers["Link"] = '<%s?%s>; rel="next"' % (base, urllib.parse.urlencode(dict(rest, page=page + 1)))
        if self.headers.get("If-None-Match") == etag:
            return self.reply(304, b"", headers=headers)
        return self.reply(200, body_out, headers=headers)

    def platform_prometheus(self, url, body):
        """Prometheus's instant query API."""
        if not url.path.endswith("/api/v1/query"):
            return self.reply(404, {"status": "error", "errorType": "not_found", "error": "not found"})
        query = urllib.parse.parse_qs(url.query)
        promql = query.get("query", [""])[0]
        when = float(query.get("time", ["0"])[0])
        if "(" in promql and not promql.endswith(")"):
            return self.reply(400, {"status": "error", "errorType": "bad_data", "error": "1:5: parse error: unclosed left parenthesis"})
        if promql.startswith("many"):
            series = [{"metric": {"job": "a"}, "value": [when, "1"]}, {"metric": {"job": "b"}, "value": [when, "2"]}]
        elif promql.startswith("none"):
            series = []
        else:
            series = [{"metric": {}, "value": [when, PROMETHEUS_VALUES.get(promql, "42")]}]
        return self.reply(200, {"status": "success", "data": {"resultType": "vector", "result": series}})

    def platform_zulip(self, url, body):
        auth = self.headers.get("Authorization") or ""
        try:
            email, key = base64.b64decode(auth.removeprefix("Basic ")).decode().split(":", 1)
        except Exception:
            email, key = "", ""
        if key != "zulip-key":
            return self.reply(401, {"result": "error", "msg": "Invalid API key", "code": "INVALID_API_KEY"})
        form = urllib.parse.parse_qs(body.decode())
        if form.get("type") != ["stream"] or "to" not in form or "content" not in form:
            return self.reply(400, {"result": "error", "msg": "Missing 'content' argument", "code": "REQUEST_VARIABLE_MISSING"})
        if form["to"] == ["nowhere"]:
            return self.reply(400, {"result": "error", "msg": "Stream 'nowhere' does not exist", "code": "STREAM_DOES_NOT_EXIST"})
        if len(form["content"][0]) > 10000:
            return self.reply(400, {"result": "error", "msg": "Message too long", "code": "BAD_REQUEST"})
        return self.reply(200, {"result": "success", "msg": "", "id": len(REQUESTS)})

    def platform_ntfy(self, url, body):
        if len(body) > 4096:
            return self.reply(400, {"code": 40000, "http": 400, "error": "message too large"})
        return self.reply(200, {"id": "n%d" % len(REQUESTS), "event": "message", "topic": url.path.split("/")[-1]})

    def platform_webhook(self, url, body):
        secret = base64.b64decode("c2VjcmV0LWtleS1mb3ItdGVzdHM=")  # whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=
        wid, ts = self.headers.get("webhook-id"), self.headers.get("webhook-timestamp")
        signature = self.headers.get("webhook-signature") or ""
        if not wid or not ts:
            return self.reply(400, {"error": "missing webhook headers"})
        expected = base64.b64encode(hmac.new(secret, f"{wid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        if ("v1," + expected) not in signature.split(" "):
            return self.reply(401, {"error": "invalid signature"})
        if abs(time.time() - int(ts)) > 300:
            return self.reply(400, {"error": "timestamp too old"})
        with LOCK:
            duplicate = wid in WEBHOOK_IDS
            WEBHOOK_IDS.add(wid)
        return self.reply(200, {"received": True, "duplicate": duplicate})

    # --- the chats of Taiwan and Hong Kong's teams ------------------------------------------
    # Each as its documentation describes it: docs/delivery.md cites the pages.

    def platform_line(self, url, body):
        """Messaging API push: a channel access token, up to 5 text messages of at most 5,000
        characters (UTF-16), and X-Line-Retry-Key: a key accepted once; again, 409."""
        if url.path == "/line/v2/bot/message/reply":
            return self.line_reply(body)
        if url.path != "/line/v2/bot/message/push":
            return self.reply(404, {"message": "Not found"})
        if (self.headers.get("Authorization") or "") != "Bearer line-channel-token":
            return self.reply(401, {"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
        key = self.headers.get("X-Line-Retry-Key")
        if key is not None and not UUID_RE.match(key):
            return self.reply(400, {"message": "The value of the X-Line-Retry-Key header is invalid"})
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not LINE_ID_RE.match(str(payload.get("to", ""))):
            return self.reply(400, {"message": "The property, 'to', in the request body is invalid (line: -, column: -)"})
        messages = payload.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return self.reply(400, {"message": "The request body has 1 error(s)", "details": [{"message": "Size must be between 1 and 5", "property": "messages"}]})
        for index, message in enumerate(messages):
            text = message.get("text") if isinstance(message, dict) else None
            if message.get("type") != "text" or not isinstance(text, str) or not text:
                return self.reply(400, {"message": "The request body has 1 error(s)", "details": [{"message": "May not be empty", "property": f"messages[{index}].text"}]})
            if len(text.encode("utf-16-le")) // 2 > 5000:
                return self.reply(400, {"message": "The request body has 1 error(s)", "details": [{"message": "Length must be between 0 and 5000", "property": f"messages[{index}].text"}]})
        with LOCK:
            STATE["event"] += 1
            request_id = "req-%d" % STATE["event"]
            if key is not None:
                if key in LINE_KEYS:
                    return self.reply(409, {"message": "The retry key is already accepted", "sentMessages": []},
                                      headers={"x-line-request-id": request_id, "x-line-accepted-request-id": LINE_KEYS[key]})
                LINE_KEYS[key] = request_id
            LINE_DELIVERED.append(payload)
        return self.reply(200, {"sentMessages": [{"id": str(STATE["event"]), "quoteToken": "q"}]}, headers={"x-line-request-id": request_id})

    def line_reply(self, body):
        """The reply API: a reply token (from a webhook event) and up to 5 messages."""
        if (self.headers.get("Authorization") or "") != "Bearer line-channel-token":
            return self.reply(401, {"message": "Authentication failed. Confirm that the access token in the authorization header is valid."})
        payload = self.json_body(body)
        if not isinstance(payload, dict) or not payload.get("replyToken"):
            return self.reply(400, {"message": "Invalid reply token"})
        messages = payload.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5 or any(len(m.get("text", "")) > 5000 for m in messages):
            return self.reply(400, {"message": "The request body has 1 error(s)"})
        return self.reply(200, {"sentMessages": [{"id": "r1", "quoteToken": "q"}]})

    def platform_lark(self, url, body):
        """A custom bot: the card in a 20 KB body; a bot with signature verification checks
        timestamp and sign (HMAC-SHA256 keyed with timestamp + "\n" + secret over nothing).
        Errors are HTTP 200 with a code."""
        hook = url.path.rsplit("/", 1)[-1]
        if not url.path.startswith(("/lark/open-apis/bot/v2/hook/", "/feishu/open-apis/bot/v2/hook/")) or hook not in ("open-hook", "signed-hook"):
            return self.reply(200, {"code": 19001, "msg": "param invalid: incoming webhook access token invalid", "data": {}})
        if len(body) > 20 * 1024:
            return self.reply(200, {"code": 9499, "msg": "Bad Request", "data": {}})
        payload = self.json_body(body)
        if hook == "signed-hook":
            timestamp, sign = str(payload.get("timestamp", "")) if isinstance(payload, dict) else "", payload.get("sign") if isinstance(payload, dict) else None
            key = f"{timestamp}\n{LARK_SECRET}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if sign != expected or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 3600:
                return self.reply(200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time", "data": {}})
        try:
            assert payload["msg_type"] == "interactive"
            elements = payload["card"]["elements"]
            assert elements and all(e["tag"] == "markdown" and isinstance(e["content"], str) for e in elements)
        except (TypeError, KeyError, AssertionError):
            return self.reply(200, {"code": 11246, "msg": "create card content failed", "data": {}})
        return self.reply(200, {"code": 0, "msg": "success", "data": {}})

    platform_feishu = platform_lark

    def platform_dingtalk(self, url, body):
        """A custom robot: access_token in the query; with 加签, timestamp (ms) and sign =
        base64(HMAC-SHA256(secret, timestamp + "\n" + secret)); msgUuid makes a resend a no-op."""
        query = dict(urllib.parse.parse_qsl(url.query))
        token = query.get("access_token")
        if url.path != "/dingtalk/robot/send" or token not in ("open-token", "signed-token"):
            return self.reply(200, {"errcode": 300001, "errmsg": "token is not exist"})
        if token == "signed-token":
            timestamp = query.get("timestamp", "")
            expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()).decode()
            if query.get("sign") != expected or not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
                return self.reply(200, {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"})
        payload = self.json_body(body)
        try:
            assert payload["msgtype"] == "markdown"
            assert payload["markdown"]["title"] and payload["markdown"]["text"]
        except (TypeError, KeyError, AssertionError):
            return self.reply(200, {"errcode": 40035, "errmsg": "缺少参数 json"})
        with LOCK:
            if payload.get("msgUuid") not in DINGTALK_UUIDS:
                DINGTALK_UUIDS.add(payload.get("msgUuid"))
                DINGTALK_DELIVERED.append(payload)
        return self.reply(200, {"errcode": 0, "errmsg": "ok"})

    def platform_wecom(self, url, body):
        """A group robot: key in the query; markdown content of at most 4,096 bytes of UTF-8."""
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path != "/wecom/cgi-bin/webhook/send" or query.get("key") != "wecom-key":
            return self.reply(200, {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1_abc], from ip: 127.0.0.1"})
        payload = self.json_body(body)
        try:
            assert payload["msgtype"] == "markdown"
            content = payload["markdown"]["content"]
            assert isinstance(content, str) and content
        except (TypeError, KeyError, AssertionError):
            return self.reply(200, {"errcode": 40008, "errmsg": "invalid message type"})
        if len(content.encode()) > 4096:
            return self.reply(200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096. invalid Request Parameter"})
        return self.reply(200, {"errcode": 0, "errmsg": "ok"})


UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LINE_ID_RE = re.compile(r"^[UCR][0-9a-f]{32}$")
LINE_KEYS = {}         # retry key -> the request id that was accepted
LINE_DELIVERED = []    # push bodies accepted once
LARK_SECRET = "lark-signing-secret"
DINGTALK_SECRET = "SECdingtalk-signing-secret"
DINGTALK_UUIDS = set()
DINGTALK_DELIVERED = []

# GitHub listings by path (set with POST /_github), served two items a page.
GITHUB = {}
PROMETHEUS_VALUES = {"deploys_per_week": "12"}


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    # Stop with the test process: when stdin closes, exit.
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
