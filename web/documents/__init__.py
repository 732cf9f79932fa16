"""Documents produced for people: the signed contrat d'engagement (PDF)."""
