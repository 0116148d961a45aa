"""Pages of the access domain: parse the request, call actions, render."""
from flask import Blueprint

blueprint = Blueprint("zaozhuang_access", __name__)
