"""Repositories: SQL for one area each, returning core value objects."""
