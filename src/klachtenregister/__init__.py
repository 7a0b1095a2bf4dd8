"""Klachtenregister: executes an organisation's complaint regulation (klachtenreglement)."""

__version__ = "0.1.0"
