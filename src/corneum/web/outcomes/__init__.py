"""Outcomes: grades, lesion counts, photos and their charts."""
