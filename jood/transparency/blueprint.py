"""The transparency feature's blueprint, on its own so that both route modules import it one way: the pages
(views.py) and the open-data API (api.py), which views.py imports to register its routes."""

from flask import Blueprint

bp = Blueprint("transparency", __name__)
