"""Bookings: search, book, move and cancel, with the holds that keep the calendar honest."""
