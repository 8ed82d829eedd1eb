"""Client pages: the list, search and the record."""
