"""Benchmark: N concurrent conversations through Lotse's gateway vs. a plain `rasa init` bot.

Starts the whole assistant (`lotse run`), warms it up with one unmeasured
conversation (both bots load models lazily), drives N conversations at once, each
a fixed script of messages, and records per-message latency, throughput and
the peak memory (RSS, with children) of every process. Then builds a plain
`rasa init` bot in a temporary folder, drives it the same way over its REST
channel, and prints both side by side.

    .venv/bin/python bench/gateway_load.py [--conversations 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Dict, List

import aiohttp
import psutil

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOTSE_PORT = 8090
PLAIN_PORT = 5015

LOTSE_SCRIPT = [
    "Hallo",
    "Ich bin Krankenschwester",
    "04109",
    "Wie viel kostet das?",
    "Я медсестра з Харкова, живу в Лейпцигу",
    "أنا طبيب أسنان وأعيش في برلين",
    "How long does it take?",
    "danke",
]
PLAIN_SCRIPT = ["hello", "I am sad", "yes", "great", "are you a bot?", "no", "bye", "hi"]


class MemoryWatch:
    """Samples the RSS of process trees every 0.2 s and keeps each tree's peak."""

    def __init__(self, roots: Dict[str, psutil.Process]) -> None:
        self.roots = roots
        self.peak = {name: 0 for name in roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, root: psutil.Process) -> int:
        try:
            processes = [root, *root.children(recursive=True)]
            return sum(p.memory_info().rss for p in processes if p.is_running())
        except psutil.Error:
            return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, root in self.roots.items():
                self.peak[name] = max(self.peak[name], self._rss(root))
            time.sleep(0.2)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def wait_until(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up in {seconds} s")


async def drive(
    conversations: int,
    rounds: int,
    script: List[str],
    send: Callable[[aiohttp.ClientSession, str, str], object],
) -> Dict[str, float]:
    """Run `conversations` conversations at once, each the script `rounds` times; return figures."""
    latencies: List[float] = []
    errors = 0

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = uuid.uuid4().hex
        for _ in range(rounds):
            for message in script:
                start = time.perf_counter()
                try:
                    await send(session, sender, message)
                except (aiohttp.ClientError, AssertionError):
                    errors += 1
                latencies.append(time.perf_counter() - start)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        # One unmeasured conversation first: both bots load lazily on their first messages.
        for message in script:
            await send(session, "warm-up-conversation", message)
        started = time.perf_counter()
        await asyncio.gather(*(conversation(session) for _ in range(conversations)))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "messages": len(latencies),
        "errors": errors,
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "msg_per_s": len(latencies) / elapsed,
    }


async def send_lotse(session: aiohttp.ClientSession, sender: str, text: str) -> None:
    body = {"conversation_id": sender, "text": text}
    async with session.post(f"http://127.0.0.1:{LOTSE_PORT}/api/messages", json=body) as response:
        assert response.status == 200, response.status
        await response.json()


async def send_plain(session: aiohttp.ClientSession, sender: str, text: str) -> None:
    body = {"sender": sender, "message": text}
    async with session.post(f"http://127.0.0.1:{PLAIN_PORT}/webhooks/rest/webhook", json=body) as response:
        assert response.status == 200, response.status
        await response.json()


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def start(command: List[str], cwd: Path) -> subprocess.Popen:
    """Start a server in its own process group, quietly."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    quiet = subprocess.DEVNULL
    return subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True, stdout=quiet, stderr=quiet)


def bench_lotse(conversations: int, rounds: int) -> Dict[str, float]:
    process = start([str(BIN / "lotse"), "run", "--port", str(LOTSE_PORT)], PROJECT_DIR)
    try:
        wait_until(f"http://127.0.0.1:{LOTSE_PORT}/healthz", 300)
        root = psutil.Process(process.pid)
        children = {" ".join(p.cmdline()[1:3]): p for p in root.children()}
        roots = {
            "rasa": next(p for k, p in children.items() if "rasa run" in k),
            "actions": next(p for k, p in children.items() if "actions" in k),
            "gateway": next(p for k, p in children.items() if "gateway" in k),
        }
        with MemoryWatch(roots) as memory:
            figures = asyncio.run(drive(conversations, rounds, LOTSE_SCRIPT, send_lotse))
        figures.update({f"peak_mb_{name}": peak / 2**20 for name, peak in memory.peak.items()})
        return figures
    finally:
        stop(process)


def bench_plain(conversations: int, rounds: int) -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        print("Training a plain `rasa init` bot in a temporary folder ...", flush=True)
        init = start([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", folder], Path(folder))
        if init.wait() != 0:
            raise SystemExit("rasa init failed")
        process = start([str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(PLAIN_PORT)], Path(folder))
        try:
            wait_until(f"http://127.0.0.1:{PLAIN_PORT}/", 300)
            with MemoryWatch({"rasa": psutil.Process(process.pid)}) as memory:
                figures = asyncio.run(drive(conversations, rounds, PLAIN_SCRIPT, send_plain))
            figures["peak_mb_rasa"] = memory.peak["rasa"] / 2**20
            return figures
        finally:
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("Benchmarking Lotse (gateway -> Rasa -> actions) ...", flush=True)
    lotse = bench_lotse(args.conversations, args.rounds)
    plain = bench_plain(args.conversations, args.rounds)
    print()
    memory = psutil.virtual_memory().total / 2**30
    print(f"Machine: {platform.machine()}, {psutil.cpu_count()} cores, {memory:.0f} GiB")
    print(f"Python {platform.python_version()}; {args.conversations} at once, {args.rounds} rounds")
    print()
    print(f"| {'figure':<22} | {'Lotse':>10} | {'plain rasa init':>15} |")
    print(f"|{'-' * 24}|{'-' * 12}|{'-' * 17}|")
    for key in ("messages", "errors", "p50_ms", "p95_ms", "msg_per_s", "peak_mb_rasa"):
        print(f"| {key:<22} | {lotse[key]:>10.1f} | {plain[key]:>15.1f} |")
    for key in ("peak_mb_actions", "peak_mb_gateway"):
        print(f"| {key:<22} | {lotse[key]:>10.1f} | {'-':>15} |")
    ratio = lotse["p95_ms"] / plain["p95_ms"]
    verdict = "meets" if ratio <= 2 else "MISSES"
    print(f"\np95 ratio Lotse / plain = {ratio:.2f} ({verdict} the target of at most 2.0)")


if __name__ == "__main__":
    main()
