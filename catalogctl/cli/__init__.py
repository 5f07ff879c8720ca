"""Command-line interface: click commands only; the library does the work."""
