"""Signing in: bearer tokens for the API, session cookies for the web app, login rate limits."""
