"""``python -m dgs_kg`` runs the CLI."""
from .launcher import main

main()
