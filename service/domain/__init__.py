"""Pure domain computations (no I/O, no rendering)."""
