"""The database layer: engine and sessions, the declarative base, portable types, migrations."""
