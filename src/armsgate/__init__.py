"""armsgate: an open-source system for a national arms-export control authority."""

__version__ = "0.1.0"
