"""The command-line interface: one module per group of commands (see main.py)."""
