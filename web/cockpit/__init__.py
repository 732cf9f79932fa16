"""HTML pages of the cockpit (htmx + DSFR)."""
