"""The account page: language, password, second factor."""
