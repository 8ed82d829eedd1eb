"""The HTTP API: ``create_app(settings)`` and its dependencies; routes live with each area."""
