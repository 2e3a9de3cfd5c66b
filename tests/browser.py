"""A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe).

No websockets, no Playwright (its own browser download cannot run here), nothing but Debian's
chromium and the standard library: commands go in on fd 3 and answers come back on fd 4 as
JSON messages ended by a NUL byte. Enough to load a page, collect every console message,
uncaught exception and failed request, read values out of the DOM and take a screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")
TIMEOUT = 20.0


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Page:
    """What loading one page produced."""

    console: list[dict[str, Any]] = field(default_factory=list)  # every console/log entry
    problems: list[str] = field(default_factory=list)            # errors, warnings, exceptions


class Chromium:
    def __init__(self, executable: str, width: int = 1200, height: int = 900) -> None:
        self._profile = tempfile.mkdtemp(prefix="ehcp-chromium-")
        to_browser, self._in = os.pipe()
        self._out, from_browser = os.pipe()

        def wire_pipes() -> None:  # in the child: the protocol's fixed fds 3 and 4
            a, b = os.dup(to_browser), os.dup(from_browser)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._session = ""
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self.send("Target.attachToTarget",
                                      {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
                self.send(domain, session=True)
        except BaseException:
            self.close()  # never leave a browser running behind a failed start
            raise

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: bool = False) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._in, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer")
            ready, _, _ = select.select([self._out], [], [], left)
            if ready:
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _wait_for(self, method: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == method for e in self._events):
            self._events.append(self._receive(deadline))

    def load(self, path: Path) -> Page:
        """Open a local file and wait for its load event; report what the console said."""
        self._events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self._wait_for("Page.loadEventFired")
        self.evaluate("1")  # a round trip, so messages logged during load have arrived
        page = Page()
        for event in self._events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", "")))
                                for a in params.get("args", []))
                page.console.append({"level": params.get("type"), "text": text})
            elif event.get("method") == "Log.entryAdded":
                entry = params.get("entry", {})
                page.console.append({"level": entry.get("level"), "text": entry.get("text"),
                                     "url": entry.get("url")})
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                page.problems.append(f"uncaught: {details.get('text')}")
        page.problems += [f"{m['level']}: {m['text']}" for m in page.console
                          if m["level"] in ("error", "warning", "assert")]
        return page

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text"))
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """The whole page, not just the window."""
        metrics = self.send("Page.getLayoutMetrics", session=True)
        size = metrics["cssContentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                     "scale": 1}}, session=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError, EOFError):
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._in, self._out):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)
