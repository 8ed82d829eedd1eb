"""Rooms, devices and their maintenance, working hours and the calendar's settings."""
