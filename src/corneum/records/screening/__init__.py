"""Screening on the day: a client assessed again for one procedure as of the day it is planned,
booked or started, from what the record holds then."""
