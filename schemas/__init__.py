"""Pydantic models shared by the API, the workflows and the activities — one file per concept."""
