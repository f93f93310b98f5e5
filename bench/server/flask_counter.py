"""The peer: Flask's /counter (load, increment, save per request) under gunicorn.

HS_STORE=cookie (Flask's signed cookie) or HS_STORE=redis://HOST:PORT/0 (Flask-Session on Redis):
  HS_STORE=cookie gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/server flask_counter:app
"""
import os

from flask import Flask, jsonify, session

app = Flask(__name__)
app.secret_key = "s" * 32
app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
STORE = os.environ.get("HS_STORE", "cookie")
if STORE.startswith("redis://"):
    import redis
    from flask_session import Session

    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=redis.Redis.from_url(STORE))
    Session(app)


@app.get("/counter")
def counter():
    session["counter"] = session.get("counter", 0) + 1
    return jsonify(counter=session["counter"])
