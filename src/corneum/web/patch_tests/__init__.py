"""Patch tests in the web app: recorded and read by practitioners, shown on the record and
the plan."""
