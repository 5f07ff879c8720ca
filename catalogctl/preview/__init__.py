"""The catalog as pictures: a static preview site, and the shop fragments the sandbox storefront shares."""
