"""The payments feature's blueprint, on its own so that both route modules import it one way: the sandbox and
Stripe's webhook (views.py) and Moyasar's doors (moyasar_views.py), which views.py imports to register them."""

from flask import Blueprint

bp = Blueprint("payments", __name__)
