"""Real Python clients against `httpstate serve`: python serve_clients.py CHECK BASE_URL [ARGS].

Each check asserts and exits 1 with the reason on failure; it prints one JSON line on success.
Run by tests/server/serve_clients_test.cpp with Debian's /usr/bin/python3.
"""
import asyncio
import json
import sys

import aiohttp
import requests


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def login_profile_logout(base):
    s = requests.Session()
    r = s.post(base + "/login", data={"username": "alice", "password": "wonderland"})
    check(r.status_code == 200, f"login: {r.status_code} {r.text}")
    check(r.json() == {"user": "alice"}, f"login body: {r.text}")
    check(r.headers.get("Cache-Control") == "no-store", f"login Cache-Control: {r.headers}")
    check("Cookie" in r.headers.get("Vary", ""), f"login Vary: {r.headers}")
    sc = r.headers.get("Set-Cookie", "")
    check("HttpOnly" in sc and "SameSite=Lax" in sc, f"login Set-Cookie: {sc}")
    r = s.get(base + "/profile")
    check(r.status_code == 200 and r.json() == {"user": "alice"}, f"profile: {r.status_code} {r.text}")
    r = s.get(base + "/session")
    check(r.json().get("user") == "alice", f"session: {r.text}")
    r = s.post(base + "/logout")
    check(r.status_code == 200, f"logout: {r.status_code}")
    check(r.headers.get("Clear-Site-Data") == '"cookies"', f"logout Clear-Site-Data: {r.headers}")
    r = s.get(base + "/profile")
    check(r.status_code == 401, f"profile after logout: {r.status_code} {r.text}")
    r = s.post(base + "/login", json={"username": "alice", "password": "wrong"})
    check(r.status_code == 401, f"bad password: {r.status_code}")
    r = s.post(base + "/login", json={"username": "alice", "password": "wonderland"})
    check(r.status_code == 200, f"JSON login: {r.status_code}")
    print(json.dumps({"ok": True, "cookies": list(s.cookies.keys())}))


def tls_login(base, cert):
    s = requests.Session()
    s.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides s.verify
    s.verify = cert
    r = s.post(base + "/login", data={"username": "alice", "password": "wonderland"})
    check(r.status_code == 200, f"login: {r.status_code} {r.text}")
    sc = r.headers.get("Set-Cookie", "")
    check(sc.startswith("__Host-sid=") and "; Secure" in sc and "; Path=/" in sc, f"TLS Set-Cookie: {sc}")
    r = s.get(base + "/profile")
    check(r.status_code == 200 and r.json() == {"user": "alice"}, f"profile: {r.status_code} {r.text}")
    r = s.get(base + "/cookies/set?k=v", allow_redirects=False)
    check("; Secure" in r.headers.get("Set-Cookie", ""), f"httpbin cookie on TLS: {r.headers}")
    print(json.dumps({"ok": True}))


def httpbin_examples(base):
    # The requests docs' cookie examples, as the client issue runs them against httpbin.
    s = requests.Session()
    s.get(base + "/cookies/set/sessioncookie/123456789")
    r = s.get(base + "/cookies")
    check(r.json() == {"cookies": {"sessioncookie": "123456789"}}, f"/cookies: {r.text}")
    r = s.get(base + "/cookies", cookies={"from-my": "browser"})
    check(r.json() == {"cookies": {"from-my": "browser", "sessioncookie": "123456789"}}, f"merged: {r.text}")
    r = s.get(base + "/cookies")
    check("from-my" not in r.json()["cookies"], f"per-request cookie kept: {r.text}")
    r = requests.get(base + "/cookies", cookies=dict(cookies_are="working"))
    check(r.json() == {"cookies": {"cookies_are": "working"}}, f"cookies_are: {r.text}")
    jar = requests.cookies.RequestsCookieJar()
    jar.set("tasty_cookie", "yum", domain="127.0.0.1", path="/cookies")
    jar.set("gross_cookie", "blech", domain="127.0.0.1", path="/elsewhere")
    r = requests.get(base + "/cookies", cookies=jar)
    check(r.json() == {"cookies": {"tasty_cookie": "yum"}}, f"jar paths: {r.text}")
    r = s.get(base + "/cookies/set?k1=v1&k2=v2", allow_redirects=False)
    check(r.status_code == 302 and r.headers["Location"] == "/cookies", f"set: {r.status_code} {r.headers}")
    s.get(base + "/cookies/delete?sessioncookie")
    r = s.get(base + "/cookies")
    check(r.json() == {"cookies": {"k1": "v1", "k2": "v2"}}, f"after delete: {r.text}")
    s.headers.update({"x-test": "true"})
    r = s.get(base + "/headers", headers={"x-test2": "true"})
    h = r.json()["headers"]
    check(h.get("X-Test") == "true" and h.get("X-Test2") == "true", f"headers: {h}")
    r = s.get(base + "/get", params={"key1": "value1", "key2": ["value2", "value3"]})
    check(r.json()["args"] == {"key1": "value1", "key2": ["value2", "value3"]}, f"get args: {r.text}")
    r = s.post(base + "/post", data={"key": "value"})
    check(r.json()["form"] == {"key": "value"}, f"post form: {r.text}")
    r = s.post(base + "/post", json={"a": [1, 2]})
    check(r.json()["json"] == {"a": [1, 2]}, f"post json: {r.text}")
    r = s.get(base + "/basic-auth/user/pass", auth=("user", "pass"))
    check(r.json() == {"authenticated": True, "user": "user"}, f"basic-auth: {r.text}")
    check(s.get(base + "/basic-auth/user/pass", auth=("user", "nope")).status_code == 401, "basic-auth wrong")
    r = s.get(base + "/redirect-to", params={"url": "/get"})
    check(r.status_code == 200 and r.history and r.url.endswith("/get"), f"redirect-to: {r.url}")
    check(s.get(base + "/status/418").status_code == 418, "status/418")
    r = s.get(base + "/status/302")
    check(r.status_code == 200 and r.url.endswith("/get"), f"status/302 chain: {r.url}")
    print(json.dumps({"ok": True}))


async def aiohttp_restore(base, path):
    # aiohttp's docs: cookies collected by one session, saved, loaded into another.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        async with s.post(base + "/login", data={"username": "alice", "password": "wonderland"}) as r:
            check(r.status == 200, f"login: {r.status}")
        async with s.get(base + "/cookies/set?theme=dark") as r:
            check((await r.json())["cookies"].get("theme") == "dark", "theme not set")
        s.cookie_jar.save(path)
    jar = aiohttp.CookieJar(unsafe=True)
    jar.load(path)
    async with aiohttp.ClientSession(cookie_jar=jar) as s:
        async with s.get(base + "/profile") as r:
            check(r.status == 200 and (await r.json()) == {"user": "alice"}, f"restored profile: {r.status}")
        async with s.get(base + "/cookies") as r:
            check((await r.json())["cookies"].get("theme") == "dark", "restored theme")
    print(json.dumps({"ok": True}))


async def counter64(base, n):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        async with s.get(base + "/counter") as r:
            first = await r.json()
            check(r.status == 200 and first == {"counter": 1}, f"first counter: {first}")

        async def one():
            async with s.get(base + "/counter") as r:
                return r.status, (await r.json()) if r.status == 200 else None

        results = await asyncio.gather(*[one() for _ in range(n)])
        values = [b["counter"] for st, b in results if st == 200]
        statuses = sorted({st for st, _ in results})
        check(len(values) == len(set(values)), f"duplicate counter values: {sorted(values)}")
        async with s.get(base + "/session") as r:
            final = (await r.json())["counter"]
        check(final == 1 + len(values), f"final {final} != 1 + {len(values)} successes (statuses {statuses})")
        check(max(values) == final, f"max seen {max(values)} != final {final}")
        print(json.dumps({"ok": True, "ok_responses": len(values), "statuses": statuses, "final": final}))


def counter_load(base, sessions, rounds):
    """Increments SESSIONS counters round-robin, printing "index value" for each answer, flushed."""
    clients = [requests.Session() for _ in range(sessions)]
    for r in range(rounds):
        for i, c in enumerate(clients):
            try:
                resp = c.get(base + "/counter", timeout=5)
            except requests.RequestException:
                return
            if resp.status_code == 200:
                print(i, resp.json()["counter"], json.dumps(dict(c.cookies)), flush=True)


def read_counters(base, cookies_file):
    """For each line "i value cookies" of a counter_load output: the server's counter now."""
    last = {}
    for line in open(cookies_file):
        parts = line.split(" ", 2)
        if len(parts) == 3:
            last[int(parts[0])] = (int(parts[1]), json.loads(parts[2]))
    check(last, "no counter was received before the kill")
    for i, (value, cookies) in sorted(last.items()):
        r = requests.get(base + "/session", cookies=cookies)
        now = r.json().get("counter", 0)
        check(now >= value, f"session {i}: counter {now} < {value}, the last value a client received")
    print(json.dumps({"ok": True, "sessions": len(last)}))


def main():
    what, base = sys.argv[1], sys.argv[2]
    if what == "login":
        login_profile_logout(base)
    elif what == "tls-login":
        tls_login(base, sys.argv[3])
    elif what == "httpbin":
        httpbin_examples(base)
    elif what == "aiohttp-restore":
        asyncio.run(aiohttp_restore(base, sys.argv[3]))
    elif what == "counter64":
        asyncio.run(counter64(base, int(sys.argv[3])))
    elif what == "counter-load":
        counter_load(base, int(sys.argv[3]), int(sys.argv[4]))
    elif what == "read-counters":
        read_counters(base, sys.argv[3])
    else:
        fail("unknown check " + what)


if __name__ == "__main__":
    main()
