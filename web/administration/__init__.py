"""Administration of structures and accounts: one service for the cockpit, the API and the CLI."""
