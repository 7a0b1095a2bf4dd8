"""The Django project: settings, URLs, the WSGI and ASGI entry points, ``manage``."""
