"""WSGI entry point of the production image: gunicorn serves ``wsgi:application``.

The configuration file comes from CKAN_INI (the image sets it to config/production.ini);
CKAN_* environment variables fill in and override its settings as in the ``ckan`` command.
"""
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

CONFIG_FILE = os.environ.get("CKAN_INI", "/srv/app/config/production.ini")

# The loader also applies the logging sections of the ini chain (base.ini's).
application = make_app(CKANConfigLoader(CONFIG_FILE).get_config())
