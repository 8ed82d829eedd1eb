"""Treatment plans and their course of sessions."""
