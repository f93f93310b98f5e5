#!/usr/bin/python3
"""The cookie-jar workload every engine in bench/compare reads, ours and the peers'.

One operation a line, tab-separated; all `set` lines first (they fill the jar), then the `get`
lines (the timed lookups):
  set <TAB> URL <TAB> SET-COOKIE-VALUE   a response from URL carried this Set-Cookie value
  get <TAB> URL                          a request to URL: which cookies go with it?
`httpstate jar replay` reads the same format (plus `now <TAB> UNIX_SECONDS`).

The file is a pure function of the arguments: the same seed gives the same bytes on any
machine (Python's random.Random is specified to be reproducible), so digests can be compared.

usage: gen_workload.py [--sites N] [--cookies N] [--lookups N] [--seed S] > workload.tsv
The defaults are a browser-sized jar: 1000 sites, 3000 cookies, 10000 lookups, seed 6265.
"""
import argparse
import random
import string
import sys

SUFFIXES = ["com", "org", "net", "io", "co.uk", "com.au", "de", "fr", "jp", "github.io"]
HOST_PREFIXES = ["", "www.", "api.", "shop.", "login.", "cdn.", "m."]
PATHS = ["/", "/", "/", "/app", "/app/v2", "/account", "/static", "/api/v1/items"]
SAME_SITE = ["", "", "; SameSite=Lax", "; SameSite=Strict", "; SameSite=None; Secure"]
LOOKUP_TAILS = ["", "/x", "?q=1"]
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
NAME_CHARS = string.ascii_letters + string.digits + "_-"
B64URL_CHARS = string.ascii_letters + string.digits + "-_"


class Draw:
    """The random choices, in the order the file's bytes depend on."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, items):
        return self.rng.choice(items)

    def word(self, shortest, longest, chars=NAME_CHARS):
        length = self.rng.randint(shortest, longest)
        return "".join(self.rng.choice(chars) for _ in range(length))

    def cookie_value(self):
        kind = self.rng.random()
        if kind < 0.6:
            return self.word(8, 40)
        if kind < 0.9:  # a hex session id
            return "".join(self.rng.choice("0123456789abcdef") for _ in range(self.pick([32, 64])))
        # a JWT-shaped value: header.payload.signature
        lengths = (36, self.rng.randint(120, 400), 43)
        return ".".join(self.word(n, n, B64URL_CHARS) for n in lengths)

    def expires(self):
        year = self.rng.randint(2030, 2035)
        weekday = self.pick(WEEKDAYS)
        day = self.rng.randint(1, 28)
        month = self.pick(MONTHS)
        hms = [self.rng.randint(0, 23), self.rng.randint(0, 59), self.rng.randint(0, 59)]
        return "%s, %02d %s %d %02d:%02d:%02d GMT" % (weekday, day, month, year, *hms)


def set_line(draw, sites):
    site = draw.pick(sites)
    url = "https://" + draw.pick(HOST_PREFIXES) + site + draw.pick(PATHS)
    attrs = []
    if draw.chance(0.5):
        attrs.append("Domain=" + ("." if draw.chance(0.5) else "") + site)
    if draw.chance(0.7):
        attrs.append("Path=" + draw.pick(PATHS))
    lifetime = draw.rng.random()
    if lifetime < 0.4:
        attrs.append("Expires=" + draw.expires())
    elif lifetime < 0.7:
        attrs.append("Max-Age=%d" % draw.rng.randint(3600, 86400 * 300))
    if draw.chance(0.5):
        attrs.append("Secure")
    if draw.chance(0.4):
        attrs.append("HttpOnly")
    same_site = draw.pick(SAME_SITE)
    name = draw.word(3, 20)
    value = draw.cookie_value()
    return "set\t%s\t%s=%s%s%s" % (url, name, value, "".join("; " + a for a in attrs), same_site)


def get_line(draw, sites):
    site = draw.pick(sites) if draw.chance(0.9) else "unknown%d.com" % draw.rng.randint(0, 999)
    scheme = "https" if draw.chance(0.9) else "http"
    prefix = draw.pick(HOST_PREFIXES)
    return "get\t%s://%s%s%s%s" % (scheme, prefix, site, draw.pick(PATHS), draw.pick(LOOKUP_TAILS))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--cookies", type=int, default=3000)
    ap.add_argument("--lookups", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=6265)
    args = ap.parse_args()
    draw = Draw(args.seed)
    sites = []
    for _ in range(args.sites):
        label = draw.word(4, 12, string.ascii_lowercase)
        sites.append(label + "." + draw.pick(SUFFIXES))
    lines = [set_line(draw, sites) for _ in range(args.cookies)]
    lines += [get_line(draw, sites) for _ in range(args.lookups)]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
