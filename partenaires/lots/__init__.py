"""Batch files the CAF/MSA and France Travail exchange with départements (ticket 20, item 6):
each line becomes an internal event that takes the same path as a CloudEvent."""
