#!/usr/bin/python3
"""Peers for bench/compare: Python's http.cookiejar (the jar of requests.Session) and aiohttp's
CookieJar, with Debian's /usr/bin/python3.

Each fills its jar from a workload's set lines (best of REPEAT fresh jars), times the get lines
on the last jar (best of REPEAT), and prints one JSON line: impl, set_ns_per_op, get_ns_per_op,
stored, sent, digest (SHA-256 of the Cookie headers, one per line). Both are slow: give them a
workload with few lookups (gen_workload.py --lookups 300).

usage: py_cookiejar.py WORKLOAD [REPEAT]
"""
import asyncio
import email.message
import hashlib
import http.cookiejar
import http.cookies
import json
import sys
import time
import urllib.request


def read_workload(path):
    sets, gets = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "set":
                sets.append((fields[1], fields[2]))
            elif fields[0] == "get":
                gets.append(fields[1])
    return sets, gets


def best_of(repeat, run):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def emit(impl, n_sets, n_gets, set_s, get_s, stored, headers):
    print(json.dumps({
        "impl": impl,
        "set_ns_per_op": set_s * 1e9 / n_sets,
        "get_ns_per_op": get_s * 1e9 / n_gets,
        "stored": stored,
        "sent": sum(len(h.split("; ")) for h in headers if h),
        "digest": hashlib.sha256("\n".join(headers).encode()).hexdigest(),
    }), flush=True)


class OneSetCookie:
    """The response side of CookieJar.extract_cookies: only info() is read."""

    def __init__(self, value):
        self.headers = email.message.Message()
        self.headers["Set-Cookie"] = value

    def info(self):
        return self.headers


def run_cookiejar(sets, gets, repeat):
    state = {}

    def fill():
        jar = http.cookiejar.CookieJar()
        for url, value in sets:
            jar.extract_cookies(OneSetCookie(value), urllib.request.Request(url))
        state["jar"] = jar

    def lookup():
        headers = []
        for url in gets:
            request = urllib.request.Request(url)
            state["jar"].add_cookie_header(request)
            headers.append(request.get_header("Cookie", ""))
        state["headers"] = headers

    set_s, get_s = best_of(repeat, fill), best_of(repeat, lookup)
    emit("python http.cookiejar", len(sets), len(gets), set_s, get_s, len(state["jar"]),
         state["headers"])


def run_aiohttp(sets, gets, repeat):
    import aiohttp
    from yarl import URL

    async def main():  # aiohttp's CookieJar wants a running event loop
        state = {}

        def fill():
            jar = aiohttp.CookieJar()
            for url, value in sets:
                parsed = http.cookies.SimpleCookie()
                parsed.load(value)
                jar.update_cookies(parsed, URL(url))
            state["jar"] = jar

        def lookup():
            state["headers"] = [
                "; ".join("%s=%s" % (k, m.value) for k, m in state["jar"].filter_cookies(URL(u)).items())
                for u in gets]

        set_s, get_s = best_of(repeat, fill), best_of(repeat, lookup)
        emit("aiohttp CookieJar " + aiohttp.__version__, len(sets), len(gets), set_s, get_s,
             len(state["jar"]), state["headers"])

    asyncio.run(main())


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sets, gets = read_workload(sys.argv[1])
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    run_cookiejar(sets, gets, repeat)
    run_aiohttp(sets, gets, repeat)
