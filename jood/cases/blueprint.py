"""The cases feature's blueprint, on its own so that every module adding routes imports it one way: the public
pages (views.py), the charity workspace (workspace.py) and the reviewer's queue (review.py)."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
