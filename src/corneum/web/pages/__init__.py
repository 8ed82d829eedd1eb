"""The web app's pages, one module per area, each with its ``router``."""
