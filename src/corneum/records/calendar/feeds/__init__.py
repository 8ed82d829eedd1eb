"""The calendar as iCalendar feeds."""
