"""Outcomes of sessions: lesion counts by type, a grade, a note."""
