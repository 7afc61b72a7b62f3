from flask import Blueprint

bp = Blueprint("charities", __name__)
