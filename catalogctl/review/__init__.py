"""review: what a pull request changes without a store: `catalogctl diff` and `catalogctl fmt`."""
