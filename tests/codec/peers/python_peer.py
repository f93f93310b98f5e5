"""Interop peer: one JSON request per stdin line, one JSON answer per stdout line.

Each request names a format, its keys and a payload; the peer signs the payload with the real
library (timestamp forced to `ts`) and verifies the token we made (`ours`).
"""
import base64
import json
import sys

import itsdangerous
import itsdangerous.timed
from flask import Flask
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from tornado.web import create_signed_value, decode_signed_value

clock = {"now": 0}
itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: clock["now"]

app = Flask(__name__)
DIGESTS = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}


def signer_kwargs(req):
    import hashlib
    return {
        "key_derivation": req["kd"],
        "digest_method": getattr(hashlib, req["digest"]),
        "sep": req["sep"],
    }


def handle(req):
    fmt = req["fmt"]
    clock["now"] = req.get("ts", 0)
    secrets = req["secrets"]
    if fmt in ("signer", "timestamp"):
        cls = itsdangerous.Signer if fmt == "signer" else itsdangerous.TimestampSigner
        s = cls(secrets, salt=req["salt"], **signer_kwargs(req))
        theirs = s.sign(req["payload"]).decode("utf-8")
        if fmt == "signer":
            loaded = s.unsign(req["ours"]).decode("utf-8")
        else:
            loaded = s.unsign(req["ours"], max_age=req["max_age"]).decode("utf-8")
        return {"theirs": theirs, "loaded": loaded}
    if fmt in ("json", "json_timed", "plain"):
        cls = {"json": itsdangerous.URLSafeSerializer, "json_timed": itsdangerous.URLSafeTimedSerializer,
               "plain": itsdangerous.Serializer}[fmt]
        s = cls(secrets, salt=req["salt"], signer_kwargs=signer_kwargs(req))
        obj = json.loads(req["payload"])
        theirs = s.dumps(obj)
        if isinstance(theirs, bytes):
            theirs = theirs.decode("utf-8")
        loaded = s.loads(req["ours"], max_age=req["max_age"]) if fmt == "json_timed" else s.loads(req["ours"])
        return {"theirs": theirs, "loaded": json.dumps(loaded, ensure_ascii=False, separators=(",", ":"))}
    if fmt == "flask":
        app.secret_key = secrets[-1]
        app.config["SECRET_KEY_FALLBACKS"] = secrets[:-1]  # Flask 3.1; ignored by 2.2
        ser = SecureCookieSessionInterface().get_signing_serializer(app)
        if secrets[:-1]:  # Flask 2.2 has no fallbacks: the same serializer Flask 3.1 builds
            ser = itsdangerous.URLSafeTimedSerializer(
                secrets, salt="cookie-session", serializer=session_json_serializer,
                signer_kwargs={"key_derivation": "hmac", "digest_method": __import__("hashlib").sha1})
        obj = session_json_serializer.loads(req["payload"])
        theirs = ser.dumps(obj)
        loaded = ser.loads(req["ours"], max_age=31 * 86400)
        return {"theirs": theirs, "loaded": session_json_serializer.dumps(loaded)}
    if fmt in ("tornado_v1", "tornado_v2"):
        version = 1 if fmt == "tornado_v1" else 2
        keys = {int(k): v for k, v in enumerate(secrets)}
        secret = secrets[-1] if version == 1 or len(secrets) == 1 else keys
        kv = None if version == 1 or len(secrets) == 1 else len(secrets) - 1
        clk = lambda: req["ts"]
        theirs = create_signed_value(secret, req["name"], req["payload"], version=version, clock=clk,
                                     key_version=kv).decode("utf-8")
        loaded = decode_signed_value(secret, req["name"], req["ours"], max_age_days=31, clock=clk)
        return {"theirs": theirs, "loaded": None if loaded is None else loaded.decode("utf-8")}
    raise ValueError("unknown format " + fmt)


def main():
    with app.test_request_context():
        for line in sys.stdin:
            req = json.loads(line)
            try:
                out = handle(req)
            except Exception as e:  # the test shows which request failed and why
                out = {"error": "%s: %s" % (type(e).__name__, e)}
            out["id"] = req["id"]
            sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
