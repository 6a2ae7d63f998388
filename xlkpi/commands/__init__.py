"""Command-line commands, one module per area (see xlkpi.cli)."""
