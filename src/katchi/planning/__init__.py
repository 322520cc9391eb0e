"""Collaborative planning and decision support: contingency plans checked against real
capabilities, and the allocation optimiser (``planning.optimiser``, pure)."""

from katchi.planning.optimiser import Candidate, Recommendation, Request, recommend

__all__ = ["Candidate", "Recommendation", "Request", "recommend"]
