// The peer: express-session's /counter (load, increment, save per request), memory or Redis.
// Usage: NODE_PATH=build/node/node_modules node express_counter.js PORT [memory|redis://HOST:PORT]
const express = require("express");
const session = require("express-session");

const [port, store = "memory"] = process.argv.slice(2);

async function main() {
  const options = { secret: "s".repeat(32), resave: false, saveUninitialized: false,
                    cookie: { httpOnly: true, sameSite: "lax" } };
  if (store.startsWith("redis://")) {
    const { createClient } = require("redis");
    const { RedisStore } = require("connect-redis");
    const client = createClient({ url: store });
    await client.connect();
    options.store = new RedisStore({ client });
  }
  const app = express();
  app.use(session(options));
  app.get("/counter", (req, res) => {
    req.session.counter = (req.session.counter || 0) + 1;
    res.json({ counter: req.session.counter });
  });
  app.listen(Number(port), "127.0.0.1");
}
main();
