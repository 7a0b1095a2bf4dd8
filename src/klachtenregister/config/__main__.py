"""``python -m klachtenregister <command>``: Django's management commands for this project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachtenregister.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m klachtenregister", *sys.argv[1:]])


if __name__ == "__main__":
    main()
