"""Planning: what a procedure holds, the clinic's calendar, slot search, courses, and the week
optimiser. Pure: no I/O, no clock; times are naive datetimes in the clinic's local time."""
