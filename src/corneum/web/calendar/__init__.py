"""The calendar: today, the week, slots and bookings."""
