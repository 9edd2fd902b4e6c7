"""Sharing and access: read-only share links for a therapist (tokens stored hashed), the owner
passphrase for an app served beyond localhost, and the throttles that slow guesses.

May import :mod:`core.domain` and :mod:`core.db`. The Streamlit side (who sees which page)
is ``ui/access.py``.
"""
