"""The HTTP API (FastAPI) over the same services as the CLI: `create_app`."""
