"""catalogctl: catalog-as-code for GrooveKart stores."""

__version__ = "0.1.0"
