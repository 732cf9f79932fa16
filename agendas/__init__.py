"""Agendas of the référents and the free slots they offer (issue 18)."""
