"""A small Flask app with a login form, for the client's login test and examples: serves on
127.0.0.1, an ephemeral port printed as the first stdout line.
POST /login (form username, password) sets the session cookie and redirects to /profile;
GET /profile is the user's JSON, or 401 without a session; POST /logout ends the session."""
import secrets
import sys

from flask import Flask, jsonify, redirect, request, session
from werkzeug.serving import make_server

USERS = {"alice": "wonderland", "bob": "builder"}

app = Flask(__name__)
app.secret_key = secrets.token_hex(32)


@app.post("/login")
def login():
    user = request.form.get("username", "")
    password = request.form.get("password", "")
    if user not in USERS or not secrets.compare_digest(USERS[user], password):
        return jsonify(error="bad credentials"), 401
    session["user"] = user
    return redirect("/profile", code=303)


@app.get("/profile")
def profile():
    if "user" not in session:
        return jsonify(error="not logged in"), 401
    return jsonify(user=session["user"])


@app.post("/logout")
def logout():
    session.clear()
    return jsonify(ok=True)


server = make_server("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0, app)
print(server.server_port, flush=True)
server.serve_forever()
