"""The web shell: a Django project and app in one package.

Persistence, views and admin live here; the rules themselves (regulations, calendars, terms) are
the plain-Python core in ``klachtenregister.regulations`` and ``klachtenregister.calendars``.
Run management commands with ``python -m klachtenregister.web <command>``.
"""
