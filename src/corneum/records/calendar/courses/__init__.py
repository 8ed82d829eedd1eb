"""A plan's course of sessions proposed onto the calendar at safe intervals."""
