"""`catalogctl import`: read a live store and write it as a catalog directory a person keeps in git."""
