"""Pages of the catalog domain: parse the request, call actions, render."""
from flask import Blueprint

blueprint = Blueprint("zaozhuang_catalog", __name__)
