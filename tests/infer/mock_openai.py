#!/usr/bin/env python3
"""A loopback OpenAI-compatible chat-completions server for the inference tests and the
concurrency benchmark. It answers each window with perturbed ground truth computed from the
dataset's clip logs (the window is named by idmscope's X-Idmscope-Clip / X-Idmscope-Window-Start
headers), and injects faults on a window's first attempt: 429 with Retry-After, 500, a slow
answer, malformed JSON and a dropped connection. With --rate-limit-dates every window's first
attempt is instead a 429 whose Retry-After is an HTTP-date 2 s ahead, in the three forms
(IMF-fixdate, RFC 850, asctime) in turn. Successful answers come wrapped in think tags, code
fences or box tokens, or plain.

  mock_openai.py --dataset DIR [--latency-ms 200] [--faults | --rate-limit-dates] [--require-key KEY] [--echo-auth] [--port 0]

With --echo-auth every request is refused with 401 and a body (and a header) that echo the
request's Authorization header, as some proxies do: the key must not reach anything idmscope
writes.

Prints "PORT <n>" on stdout once listening. GET /stats gives request counts and the peak
number of requests in flight.
"""
import argparse
import hashlib
import json
import os
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODIFIERS = {"ShiftLeft", "ShiftRight", "ControlLeft", "ControlRight", "Alt", "AltGr", "MetaLeft", "MetaRight"}
FAULTS = ["429", "500", "slow", "malformed", "drop"]
WRAPS = ["plain", "think", "fence", "box"]
DATE_FORMS = ["imf", "rfc850", "asctime"]
# Fixed English names: the HTTP-date forms must not follow the locale.
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def key_name(name):
    if len(name) == 4 and name.startswith("Key"):
        return name[3]
    return name


def clip_gt(dataset, clip_key):
    """Approximate GT on the 5 fps grid: key presses, clicks, scroll starts, per-frame moves."""
    try:
        with open(os.path.join(dataset, clip_key + ".json")) as f:
            clip = json.load(f)
    except OSError:
        return []  # the benchmark's made-up clips
    start_us = clip["start_s"] * 1e6
    items, moves, last_scroll = [], {}, {}
    for ts, (kind, payload) in sorted(clip["actions"], key=lambda a: a[0]):
        frame = round((ts - start_us) / 1e6 * 5)
        if frame < 0:
            continue
        if kind == "KeyPress" and isinstance(payload, list) and len(payload) >= 2 and payload[1] not in MODIFIERS:
            items.append({"frame": frame, "type": "KeyPress", "details": key_name(str(payload[1]))})
        elif kind == "MousePress" and isinstance(payload, list) and payload and payload[0] in ("Left", "Right", "Middle"):
            items.append({"frame": frame, "type": "MouseClick", "details": payload[0]})
        elif kind == "MouseScroll" and isinstance(payload, list) and len(payload) >= 2 and payload[1] != 0:
            direction = "up" if payload[1] > 0 else "down"
            if last_scroll.get(direction, -10) < frame - 1:
                items.append({"frame": frame, "type": "MouseScroll", "details": direction})
            last_scroll[direction] = frame
        elif kind == "MouseMove" and isinstance(payload, list) and len(payload) >= 2:
            dx, dy = moves.get(frame, (0.0, 0.0))
            moves[frame] = (dx + payload[0], dy + payload[1])
    for frame, (dx, dy) in moves.items():
        items.append({"frame": frame, "type": "MouseMove", "details": f"{round(dx / 1728 * 1000)},{round(dy / 1080 * 1000)}"})
    return items


def perturbed_window(items, start, size, seed):
    rng = random.Random(seed)
    out = []
    for item in items:
        if not start <= item["frame"] < start + size or rng.random() < 0.1:
            continue
        frame = item["frame"] - start
        if item["type"] in ("KeyPress", "MouseClick") and rng.random() < 0.15:
            frame = max(0, min(size - 1, frame + rng.choice((-1, 1))))
        out.append({"frame": f"F{frame:02d}", "type": item["type"], "details": item["details"]})
    return out


def http_date(seconds, form):
    """An HTTP-date (RFC 9110 section 5.6.7) for a UTC time in whole seconds."""
    t = time.gmtime(seconds)
    day, month, clock = DAY_NAMES[t.tm_wday], MONTH_NAMES[t.tm_mon - 1], "%02d:%02d:%02d" % (t.tm_hour, t.tm_min, t.tm_sec)
    if form == "imf":
        return "%s, %02d %s %04d %s GMT" % (day[:3], t.tm_mday, month, t.tm_year, clock)
    if form == "rfc850":
        return "%s, %02d-%s-%02d %s GMT" % (day, t.tm_mday, month, t.tm_year % 100, clock)
    return "%s %s %2d %s %04d" % (day[:3], month, t.tm_mday, clock, t.tm_year)  # asctime


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.attempts = {}
        self.order = {}
        self.rate_limited_at = {}
        self.retry_after_gaps = []
        self.labelled_requests = 0
        self.requests = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.faults_sent = {f: 0 for f in FAULTS}
        self.retry_after_forms = {f: 0 for f in DATE_FORMS}
        self.gt_cache = {}

    def gt(self, clip_key):
        with self.lock:
            if clip_key not in self.gt_cache:
                self.gt_cache[clip_key] = clip_gt(self.args.dataset, clip_key)
            return self.gt_cache[clip_key]


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def setup(self):
            super().setup()
            # Headers and body leave in two writes: without this, Nagle + the client's delayed
            # ACK add ~40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def send_json(self, status, body, headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client cancelled and hung up: expected in the cancel test

        def do_GET(self):
            if self.path == "/stats":
                with state.lock:
                    self.send_json(200, {"requests": state.requests, "in_flight": state.in_flight, "peak_in_flight": state.peak_in_flight,
                                         "faults": state.faults_sent, "windows": len(state.attempts),
                                         "retry_after_gaps_s": state.retry_after_gaps,
                                         "retry_after_forms": state.retry_after_forms,
                                         "labelled_requests": state.labelled_requests})
            else:
                self.send_json(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with state.lock:
                state.requests += 1
                state.in_flight += 1
                state.peak_in_flight = max(state.peak_in_flight, state.in_flight)
            try:
                self.answer(body)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def answer(self, body):
            args = state.args
            if self.path != "/v1/chat/completions":
                return self.send_json(404, {"error": "unknown path " + self.path})
            if args.echo_auth:
                echoed = self.headers.get("Authorization", "")
                data = json.dumps({"error": "invalid credentials", "received": "Authorization: " + echoed}).encode()
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Echo-Authorization", echoed)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if args.require_key and self.headers.get("Authorization") != "Bearer " + args.require_key:
                return self.send_json(401, {"error": "bad or missing API key"})
            content = body["messages"][0]["content"]
            images = [p for p in content if p.get("type") == "image_url"]
            if not images or not all(p["image_url"]["url"].startswith("data:image/png;base64,") for p in images):
                return self.send_json(400, {"error": "expected PNG data URLs"})
            labelled = all(i > 0 and content[i - 1].get("type") == "text" and content[i - 1]["text"] == "Frame F%02d:" % n
                           for n, i in enumerate(j for j, p in enumerate(content) if p.get("type") == "image_url"))
            with state.lock:
                state.labelled_requests += 1 if labelled else 0
            clip_key = self.headers.get("X-Idmscope-Clip", "")
            start = int(self.headers.get("X-Idmscope-Window-Start", "0"))
            window = (clip_key, start)
            with state.lock:
                attempt = state.attempts.get(window, 0)
                state.attempts[window] = attempt + 1
                if attempt == 0:
                    state.order[window] = len(state.order)
                elif window in state.rate_limited_at:  # the retry after a 429 with Retry-After: 1
                    state.retry_after_gaps.append(time.monotonic() - state.rate_limited_at.pop(window))
                order = state.order[window]
            digest = int(hashlib.sha256(f"{clip_key}#{start}#{args.seed}".encode()).hexdigest(), 16)
            time.sleep(args.latency_ms / 1000.0)
            if args.rate_limit_dates and attempt == 0:
                form = DATE_FORMS[order % len(DATE_FORMS)]
                # Whole seconds: the client may retry up to 1 s before now + 2 s, never sooner than now + 1 s.
                retry_at = http_date(int(time.time()) + 2, form)
                with state.lock:
                    state.retry_after_forms[form] += 1
                    state.rate_limited_at[window] = time.monotonic()
                return self.send_json(429, {"error": "rate limited"}, [("Retry-After", retry_at)])
            # Faults on first attempts only, cycling so that any 6 windows see every kind.
            if args.faults and attempt == 0 and order % 6 != 5:
                fault = FAULTS[order % 6]
                with state.lock:
                    state.faults_sent[fault] += 1
                if fault == "429":
                    with state.lock:
                        state.rate_limited_at[window] = time.monotonic()
                    return self.send_json(429, {"error": "rate limited"}, [("Retry-After", "1")])
                if fault == "500":
                    return self.send_json(500, {"error": "internal"})
                if fault == "malformed":
                    return self.send_json(200, b'{"choices": [{"message": {"content": "[{\\"frame\\"')
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault == "slow":
                    time.sleep(args.slow_s)  # longer than the client's timeout
            items = perturbed_window(state.gt(clip_key), start, len(images), digest)
            text = json.dumps(items)
            wrap = WRAPS[order % len(WRAPS)]
            if wrap == "think":
                text = "<think>The pointer moves [a lot].</think>\n" + text
            elif wrap == "fence":
                text = "```json\n" + text + "\n```"
            elif wrap == "box":
                text = "<|begin_of_box|>" + text + "<|end_of_box|>"
            self.send_json(200, {"id": "mock", "object": "chat.completion", "model": body.get("model"),
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}]})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--rate-limit-dates", action="store_true")
    parser.add_argument("--slow-s", type=float, default=3.0)
    parser.add_argument("--require-key", default="")
    parser.add_argument("--echo-auth", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
