"""The sandbox storefront: shop pages at the sandbox's root url, from its SQLite store."""

from catalogctl.sandbox.storefront.routes import routes

__all__ = ["routes"]
