"""WSGI entry point for gunicorn: `gunicorn send_wsoa.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_wsoa.settings.prod")

application = get_wsgi_application()
