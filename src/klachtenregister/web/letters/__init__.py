"""Letters in the web shell: who receives them, what the register fills in, the wording in use,
the PDF, and sending a letter together with the event it records."""
