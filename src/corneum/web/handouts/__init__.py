"""Aftercare handouts, on screen and as PDF."""
