"""``python -m sarkit`` runs the command line."""

from sarkit.app.cli import run

run()
