// Interop peer for npm cookie-signature and express-session's cookie value: one JSON request
// per stdin line, one JSON answer per stdout line.
const readline = require('readline');
const signature = require('cookie-signature');

function handle(req) {
  const secrets = req.secrets;  // express order: the first signs
  if (req.fmt === 'express') {
    const theirs = signature.sign(req.payload, secrets[0]);
    let loaded = false;
    for (const s of secrets) {
      loaded = signature.unsign(req.ours, s);
      if (loaded !== false) break;
    }
    return { theirs, loaded: loaded === false ? null : loaded };
  }
  if (req.fmt === 'express_session') {
    // express-session setcookie(): 's:' + sign(val, secrets[0]), serialized by `cookie`
    // with encodeURIComponent; getcookie(): decode, strip 's:', unsign with each secret.
    const theirs = encodeURIComponent('s:' + signature.sign(req.payload, secrets[0]));
    const raw = decodeURIComponent(req.ours);
    let loaded = null;
    if (raw.substr(0, 2) === 's:') {
      for (const s of secrets) {
        const v = signature.unsign(raw.slice(2), s);
        if (v !== false) { loaded = v; break; }
      }
    }
    return { theirs, loaded };
  }
  throw new Error('unknown format ' + req.fmt);
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  let out;
  try { out = handle(req); } catch (e) { out = { error: String(e) }; }
  out.id = req.id;
  process.stdout.write(JSON.stringify(out) + '\n');
});
