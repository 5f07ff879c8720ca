"""Store providers: each reads a live store into resources and carries out actions."""
