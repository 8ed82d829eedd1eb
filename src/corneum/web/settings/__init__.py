"""The administrator's settings: the clinic, staff, rooms, devices, procedures, consent texts."""
