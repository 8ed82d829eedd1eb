"""``python -m corneum`` runs the command line."""

from corneum.cli.main import run

run()
