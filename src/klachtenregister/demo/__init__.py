"""The demo: organisations, users and complaints as data files, and the commands that load them and
receive the demo's e-mail.
"""
