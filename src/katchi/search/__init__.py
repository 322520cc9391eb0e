"""Search in Korean and English over the records a principal may read: one analyser (Kiwi
morphemes, Snowball stems) feeding SQLite FTS5 and PostgreSQL full-text alike, kept in step with
the records in the transactions that write them."""

from katchi.search.analyser import ANALYSER_VERSION, query_terms, terms, warm
from katchi.search.documents import TYPES
from katchi.search.index import ensure_current, install, rebuild
from katchi.search.models import SearchDocument, SearchState
from katchi.search.queries import search
from katchi.search.schemas import Hit, RecordType

install()

__all__ = [
    "ANALYSER_VERSION",
    "TYPES",
    "Hit",
    "RecordType",
    "SearchDocument",
    "SearchState",
    "ensure_current",
    "install",
    "query_terms",
    "rebuild",
    "search",
    "terms",
    "warm",
]
