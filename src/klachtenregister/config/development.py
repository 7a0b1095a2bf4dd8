"""The development settings, for the tests: ``settings.py`` with KLACHTENREGISTER_ENV=development.

pytest-django loads the settings before any conftest runs, so the tests name this module
(pyproject.toml) instead of setting the variable in a conftest. The variable is set in the
environment, not only here, so the commands the tests start in subprocesses inherit it.
"""

import os

os.environ.setdefault("KLACHTENREGISTER_ENV", "development")

from klachtenregister.config.settings import *  # noqa: F403
