"""Small national referentials shipped with the project (pure data, importable anywhere)."""
