"""Consent: read, sign and keep the signed text."""
