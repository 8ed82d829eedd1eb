"""Clinics and staff accounts: roles, qualifications, password hashing, authentication."""
