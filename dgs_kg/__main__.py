"""``python -m dgs_kg`` runs the CLI."""
from .cli import main

main()
