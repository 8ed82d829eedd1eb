"""The append-only audit log of every read and write of client data."""
