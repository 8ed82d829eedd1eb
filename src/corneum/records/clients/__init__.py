"""Clients of a clinic: contact details, skin, medical history, medications, allergies."""
