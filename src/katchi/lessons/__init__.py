"""Lessons learned: the bilingual glossary of alliance and disaster-management terms."""

from katchi.lessons.glossary import GlossaryTerm, glossary, search_glossary

__all__ = ["GlossaryTerm", "glossary", "search_glossary"]
