#!/usr/bin/env python3
"""Drives narrate's check-in page in headless Chromium over the DevTools protocol, as a person on
a phone would: load the link, write a blocker with its stage, resolve an open blocker with its
button, and save a screenshot at phone width. Prints a JSON summary of what the page showed.

usage: checkin_page.py LINK BLOCKER_ID SCREENSHOT.png [TEAM_URL TEAM_SCREENSHOT.png]
With a team page URL it then opens it in the same browser (the check-in page's cookie lets it
in) and checks its charts.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, name, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == name:
                    del self.events[: index + 1]
                    return event
            self.ws.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise TimeoutError(name)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def navigate_and_wait(self, action):
        """Runs `action` (which makes the page navigate) and waits for the next page to load."""
        self.events.clear()
        action()
        self.wait_event("Page.loadEventFired")


def main():
    link, blocker, screenshot = sys.argv[1:4]
    team_url, team_screenshot = (sys.argv[4:6] + [None, None])[:2]
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        sys.exit("no chromium on PATH (scripts/setup.sh installs Debian's chromium)")
    profile = tempfile.mkdtemp(prefix="narrate-chromium-")
    process = subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        endpoint = None
        deadline = time.time() + 60
        while time.time() < deadline and endpoint is None:
            line = process.stderr.readline()
            if not line and process.poll() is not None:
                break
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                endpoint = found.group(1)
        if endpoint is None:
            sys.exit("chromium did not start its DevTools endpoint")
        port = re.search(r":(\d+)/", endpoint).group(1)
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page_target = next(t for t in targets if t.get("type") == "page")
        page = Page(websocket.create_connection(page_target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True))
        page.call("Page.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=360, height=780, deviceScaleFactor=2, mobile=True)
        page.navigate_and_wait(lambda: page.call("Page.navigate", url=link))
        summary = {"title": page.evaluate("document.title"),
                   "labelled": page.evaluate(
                       "[...document.querySelectorAll('textarea,select,input:not([type=hidden])')]"
                       ".every(e => e.labels && e.labels.length > 0)"),
                   "width": page.evaluate("document.documentElement.scrollWidth")}

        # Write a blocker with its stage, as a person would: pick, type, press Save.
        page.evaluate("document.getElementById('kind-blocker').click()")
        page.evaluate("document.getElementById('text').value = 'Waiting on the vendor contract'")
        page.evaluate("document.getElementById('stage').value = 'back'")
        page.navigate_and_wait(lambda: page.evaluate("document.getElementById('save').click()"))
        summary["after_log"] = page.evaluate("document.querySelector('[role=status]')?.innerText || ''")

        # Resolve the open blocker with its button.
        page.navigate_and_wait(lambda: page.evaluate(
            f"document.querySelector('button[aria-label=\"Resolved {blocker}\"]').click()"))
        summary["after_resolve"] = page.evaluate("document.querySelector('[role=status]')?.innerText || ''")
        summary["open_items"] = page.evaluate(
            "[...document.querySelectorAll('#open-h ~ ul li .id')].map(e => e.innerText)")
        summary["url"] = page.evaluate("location.pathname + location.search")

        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(screenshot, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        summary["screenshot_bytes"] = os.path.getsize(screenshot)
        if team_url:
            page.navigate_and_wait(lambda: page.call("Page.navigate", url=team_url))
            summary["team_charts"] = page.evaluate("document.querySelectorAll('figure.chart svg').length")
            summary["team_chart_width"] = page.evaluate(
                "Math.max(...[...document.querySelectorAll('figure.chart svg')].map(e => e.getBoundingClientRect().width))")
            summary["team_heading"] = page.evaluate("document.querySelector('article.report h1')?.innerText || ''")
            summary["team_width"] = page.evaluate("document.documentElement.scrollWidth")
            shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            with open(team_screenshot, "wb") as out:
                out.write(base64.b64decode(shot["data"]))
        print(json.dumps(summary))
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
