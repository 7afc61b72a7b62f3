"""Entry point for gunicorn (`gunicorn app:app`) and the Flask CLI (`flask --app app ...`)."""

from jood import create_app

app = create_app()
