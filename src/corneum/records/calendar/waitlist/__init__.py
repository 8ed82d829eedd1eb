"""Clients waiting for a place, and the week optimiser that places them."""
