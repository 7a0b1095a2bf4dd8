"""Correspondence: letter templates, composing and sending a step's letters, and the outbox that
delivers e-mail exactly once.
"""
