"""Demo data: accounts of every role and 200+ parcours in every phase, over the four bassins."""
