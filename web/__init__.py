"""FastAPI app: JSON API, partner event API, HTMX cockpit."""
