"""The framework's ceiling on this machine: a one-line Flask endpoint served by the same gunicorn configuration."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def ceiling():
    return "ok"
