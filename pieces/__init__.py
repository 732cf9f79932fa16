"""The documents of a dossier (issue 17, item 3): their types (rules/pieces.yaml), the format
read from their bytes, their encryption at rest and their store (files or S3-compatible).
Used by the web routes and by the anonymisation; imports nothing of web/."""
