"""Treatment sessions: the protocol as performed, products, observations, adverse events."""
