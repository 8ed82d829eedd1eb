"""Signed consents: the exact text version, the signer, the time."""
