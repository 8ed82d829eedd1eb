"""Consultations: a client's profile and its assessment, stored as they were made."""
