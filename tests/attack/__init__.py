"""Attacks on a running Corneum, for a clinic's auditor to read: each test starts the real
``corneum serve`` as its own process on a loopback address (never another host), over its own
database on SQLite and on PostgreSQL, attacks it over real HTTP with a fixed number of requests
and a deadline, and checks what the attacked server did: the status codes it answered, its memory,
how fast it kept answering its staff and health check, and what it wrote. Nothing is mocked; the
clock is the real one.
"""
