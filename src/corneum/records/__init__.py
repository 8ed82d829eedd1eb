"""Clinic records, one folder per area, each with ``tables.py``, ``schemas.py``, ``service.py``.

Services take the session as a keyword argument and never commit: the caller (a request, a CLI
command) commits once or rolls back.
"""
