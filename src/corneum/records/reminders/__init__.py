"""Reminders: an outbox of messages and the worker that sends them over SMTP."""
