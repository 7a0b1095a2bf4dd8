"""The register: organisations and their regulation versions, people and their roles, complaints
with their append-only log and what is derived from it, and who may see and do what.
"""
