// Peer for bench/compare: tough-cookie, the cookie engine under Node's got, axios' cookie
// jar support and request. Fills a CookieJar from a workload's set lines (best of REPEAT
// fresh jars), then times its get lines on the last jar (best of REPEAT), and prints one JSON
// line: impl, set_ns_per_op, get_ns_per_op, stored, sent, digest (SHA-256 of the Cookie
// headers, one per line: engines that agree on every lookup print the same digest).
// Usage: NODE_PATH=build/node/node_modules node bench/peers/tough_cookie_jar.js WORKLOAD [REPEAT]
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { CookieJar } = require("tough-cookie");

function readWorkload(file) {
  const sets = [], gets = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const f = line.split("\t");
    if (f[0] === "set") sets.push([f[1], f[2]]);
    else if (f[0] === "get") gets.push(f[1]);
  }
  return { sets, gets };
}

function bestOf(repeat, run) {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return best;
}

const [file, repeatArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tough_cookie_jar.js WORKLOAD [REPEAT]");
  process.exit(2);
}
const repeat = Number(repeatArg || 5);
const { sets, gets } = readWorkload(file);

let jar;
const setNs = bestOf(repeat, () => {
  jar = new CookieJar();
  for (const [url, header] of sets) {
    try {
      jar.setCookieSync(header, url);
    } catch (e) {
      // tough-cookie throws where a browser silently refuses (e.g. a public-suffix Domain)
    }
  }
});
let headers = [];
const getNs = bestOf(repeat, () => {
  headers = gets.map((url) => jar.getCookieStringSync(url));
});

const version = JSON.parse(fs.readFileSync(
  path.join(path.dirname(require.resolve("tough-cookie")), "..", "package.json"), "utf8")).version;
console.log(JSON.stringify({
  impl: "tough-cookie " + version,
  set_ns_per_op: setNs / sets.length,
  get_ns_per_op: getNs / gets.length,
  stored: jar.serializeSync().cookies.length,
  sent: headers.reduce((n, h) => n + (h ? h.split("; ").length : 0), 0),
  digest: crypto.createHash("sha256").update(headers.join("\n")).digest("hex"),
}));
