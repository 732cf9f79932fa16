"""Import of lists of people (CAF, département) from CSV and XLSX files: reading, column
mapping, checking each row, matching people already known, then opening or updating their
parcours in a Temporal workflow (workflows/import_personnes.py). Used by the API, the cockpit
and the CLI alike; nothing here imports web/."""
