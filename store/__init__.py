"""The SQL side: read model of the parcours, partner events, accounts, audit — SQLite or PostgreSQL."""
