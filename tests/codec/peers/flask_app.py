"""A real Flask app for the session interop test: serves on 127.0.0.1, an ephemeral port that it
prints on its first stdout line. SECRET_KEY comes from argv[1]."""
import sys
import uuid
from datetime import datetime, timezone

from flask import Flask, jsonify, session
from flask.sessions import session_json_serializer
from werkzeug.serving import make_server

app = Flask(__name__)
app.secret_key = sys.argv[1]


@app.get("/login")
def login():
    session.permanent = True
    session["user"] = "alice"
    session["n"] = 1
    session["roles"] = ("admin", "dev")
    session["raw"] = b"\x00\xffbytes"
    session["id"] = uuid.UUID("12345678123456781234567812345678")
    session["since"] = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    session["name"] = "Zoë"
    return "ok"


@app.get("/show")
def show():
    return session_json_serializer.dumps(dict(session))


@app.get("/incr")
def incr():
    session["n"] = session.get("n", 0) + 1
    return jsonify(n=session["n"])


@app.get("/logout")
def logout():
    session.clear()
    return "bye"


server = make_server("127.0.0.1", 0, app)
print(server.server_port, flush=True)
server.serve_forever()
