"""Importers that read outside data sets and propose register entries for an officer to confirm."""
