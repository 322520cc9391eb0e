"""Katchi (같이): civil–military coordination for humanitarian assistance and disaster relief."""

__version__ = "0.1.0"
