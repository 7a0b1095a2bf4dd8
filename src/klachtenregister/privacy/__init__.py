"""The register's AVG duties (issue 16 §5, docs/privacy.md): erasing a complaint's personal data
when its retention term has passed or on request, pruning what is kept only for delivery and
login (outbox bodies, finished tasks, sessions, login logs), one person's data as an export
(AVG art. 15), and the log of who looked at which complaint."""
