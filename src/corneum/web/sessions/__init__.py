"""The protocol runner: a treatment session stage by stage."""
