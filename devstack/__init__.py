"""`make run`: the whole platform on one machine, supervised, with demo data."""
