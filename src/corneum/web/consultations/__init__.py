"""The consultation wizard and the assessment it shows."""
