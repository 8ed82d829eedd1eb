"""Treatment plans: a course of one procedure for one client."""
