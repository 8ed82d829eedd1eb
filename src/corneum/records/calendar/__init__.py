"""The clinic calendar: resources, bookings, courses and feeds."""
