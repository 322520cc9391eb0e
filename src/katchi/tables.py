"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from katchi.accounts import models as accounts_models
from katchi.assets import models as assets_models
from katchi.cop import models as cop_models
from katchi.db import Base
from katchi.eventlog import models as eventlog_models
from katchi.exercises import models as exercises_models
from katchi.interop import models as interop_models
from katchi.lessons import models as lessons_models
from katchi.operations import models as operations_models
from katchi.planning import models as planning_models
from katchi.tasking import models as tasking_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "assets_models",
    "cop_models",
    "eventlog_models",
    "exercises_models",
    "interop_models",
    "lessons_models",
    "metadata",
    "operations_models",
    "planning_models",
    "tasking_models",
]
