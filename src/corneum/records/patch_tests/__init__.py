"""Patch tests before a course: the agent tried, its product and lot, when and by whom it was
applied and read, and what it showed."""
