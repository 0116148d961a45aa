"""Pages of the applications domain: parse the request, call actions, render."""
from flask import Blueprint

blueprint = Blueprint("zaozhuang_applications", __name__)
