"""Letters the regulations promise: what each must contain, the default wording, and the check
that an organisation's own wording still says everything required. Plain Python, no Django."""
