"""Sub-command modules of the dgs-kg CLI; each defines ``register(group)``."""
