"""A client's rights over their data: export everything held on them; erase it on request."""
