"""``python -m klachtenregister <command>``: Django's management commands for this project."""

from klachtenregister.config.__main__ import main

main()
