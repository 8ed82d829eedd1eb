"""Throughput and latency of ``POST /api/assessments`` (an inline profile) under a bounded load,
against the trivial ``GET /api/health`` of the same server in the same run.

The server, ``python -m corneum serve --demo``, runs in its own process on a loopback port over a
fresh SQLite demo database; this process is the load generator: a small asyncio HTTP/1.1 client
holding a fixed number of keep-alive connections (only the standard library, so it runs wherever
Corneum installs). Rounds alternate between the two endpoints; the figures are medians over the
rounds. Target (issue 3): the assessment's throughput at least 50% of the trivial endpoint's.

``GET /api/auth/me`` is measured too, for reference: it does what every signed-in request does
(a database session, the bearer token's lookup, a commit) and nothing else, so it shows how much
of the assessment's cost is the engine and how much is signing the request in.

    .venv/bin/python benchmarks/bench_api.py [--requests 1000] [--connections 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from served import HOST, server

PRACTITIONER = "dr.ashby@demo-clinic.example"
PASSWORD = "demo-clinic-password"
PROFILE: dict[str, Any] = {
    "age": 29,
    "skin_type": "oily",
    "fitzpatrick": 3,
    "area": "back",
    "concerns": ["blackheads", "excess_sebum", "enlarged_pores"],
    "conditions": ["rosacea"],
    "medications": [{"code": "isotretinoin", "last_taken": "2026-08-01"}],
    "assessed_on": "2026-11-23",
}
ROUND_TIMEOUT_S = 300
WARM_UP_REQUESTS = 200


@dataclass(frozen=True)
class Endpoint:
    label: str
    request: bytes
    """The whole HTTP/1.1 request, sent as is on a keep-alive connection."""


@dataclass(frozen=True)
class Round:
    throughput: float
    """Requests per second over the round's wall time."""
    p50_ms: float
    p99_ms: float


def http_request(method: str, path: str, token: str, body: dict[str, Any] | None = None) -> bytes:
    payload = b"" if body is None else json.dumps(body).encode()
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}",
        f"Authorization: Bearer {token}",
        "Accept: application/json",
    ]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response off a keep-alive connection; its status code."""
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def connection(
    port: int, endpoint: Endpoint, share: list[int], latencies: list[float]
) -> None:
    """Send requests one after another on one connection until the round's count is used up."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while share[0] > 0:
            share[0] -= 1
            start = time.perf_counter()
            writer.write(endpoint.request)
            await writer.drain()
            status = await read_response(reader)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"{endpoint.label} answered {status}")
    finally:
        writer.close()
        await writer.wait_closed()


async def load(port: int, endpoint: Endpoint, requests: int, connections: int) -> Round:
    share = [requests]
    latencies: list[float] = []
    start = time.perf_counter()
    workers = (connection(port, endpoint, share, latencies) for _ in range(connections))
    await asyncio.wait_for(asyncio.gather(*workers), ROUND_TIMEOUT_S)
    elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return Round(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000)


def sign_in(port: int) -> str:
    body = json.dumps({"email": PRACTITIONER, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/auth/token",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token: str = json.load(response)["access_token"]
    return token


def summary(label: str, rounds: list[Round]) -> float:
    throughput = statistics.median(r.throughput for r in rounds)
    p50 = statistics.median(r.p50_ms for r in rounds)
    p99 = statistics.median(r.p99_ms for r in rounds)
    print(f"  {label:<34} {throughput:6.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    return throughput


async def measure(port: int, token: str, args: argparse.Namespace) -> None:
    trivial = Endpoint("GET /api/health", http_request("GET", "/api/health", token))
    signed_in = Endpoint("GET /api/auth/me", http_request("GET", "/api/auth/me", token))
    assessment = Endpoint(
        "POST /api/assessments",
        http_request("POST", "/api/assessments", token, {"profile": PROFILE}),
    )
    endpoints = (trivial, signed_in, assessment)
    results: dict[str, list[Round]] = {endpoint.label: [] for endpoint in endpoints}
    for endpoint in endpoints:
        await load(port, endpoint, WARM_UP_REQUESTS, args.connections)
    for _ in range(args.rounds):
        for endpoint in endpoints:
            results[endpoint.label].append(
                await load(port, endpoint, args.requests, args.connections)
            )
    print(
        f"{args.rounds} rounds of {args.requests} requests on {args.connections} keep-alive "
        "connections; medians over the rounds"
    )
    base = summary(trivial.label, results[trivial.label])
    reference = summary(signed_in.label + " (reference)", results[signed_in.label])
    assessed = summary(assessment.label, results[assessment.label])
    ratio = assessed / base
    verdict = "met" if ratio >= 0.5 else "MISSED"
    print(f"  assessment / trivial throughput: {ratio:.0%}  (target >= 50%: {verdict})")
    print(f"  assessment / signed-in reference throughput: {assessed / reference:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="corneum-bench-") as folder,
        server(Path(folder), f"sqlite:///{Path(folder) / 'bench.sqlite3'}") as port,
    ):
        print(f"server: python -m corneum serve --demo on {HOST}:{port} (SQLite, one process)")
        asyncio.run(measure(port, sign_in(port), args))


if __name__ == "__main__":
    main()
