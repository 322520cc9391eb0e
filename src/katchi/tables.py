"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from alembic.runtime.environment import NameFilterParentNames, NameFilterType

from katchi.accounts import models as accounts_models
from katchi.assets import models as assets_models
from katchi.cop import models as cop_models
from katchi.db import Base
from katchi.eventlog import models as eventlog_models
from katchi.exercises import models as exercises_models
from katchi.interop import models as interop_models
from katchi.lessons import models as lessons_models
from katchi.notifications import models as notifications_models
from katchi.operations import models as operations_models
from katchi.planning import models as planning_models
from katchi.reports import models as reports_models
from katchi.search import models as search_models
from katchi.tasking import models as tasking_models

metadata = Base.metadata


def described_by_models(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """Alembic's ``include_name``: the full-text structures the search migration creates by hand
    (SQLite's FTS5 tables, PostgreSQL's generated ``tsv`` column and its index) are not in the
    models."""
    if type_ == "table" and name is not None and name.startswith("search_fts"):
        return False
    if type_ == "index" and name == "ix_search_documents_tsv":
        return False
    return not (type_ == "column" and name == "tsv" and parent_names.get("table_name") == "search_documents")


__all__ = [
    "accounts_models",
    "assets_models",
    "cop_models",
    "described_by_models",
    "eventlog_models",
    "exercises_models",
    "interop_models",
    "lessons_models",
    "metadata",
    "notifications_models",
    "operations_models",
    "planning_models",
    "reports_models",
    "search_models",
    "tasking_models",
]
