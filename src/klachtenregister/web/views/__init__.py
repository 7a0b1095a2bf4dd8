"""Views: the public start page and health check, and the back office."""

from klachtenregister.web.views.start import health, language_links, start

__all__ = ["health", "language_links", "start"]
