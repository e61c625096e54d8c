"""``python -m strikeclf`` runs the command-line interface."""

from .cli import main

main()
