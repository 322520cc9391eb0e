"""Shared kernel: ids, clock, errors, geometry, labels and the access rule."""

from katchi.core.access import (
    Principal,
    can_read,
    label_filter,
    readable_labels,
)
from katchi.core.errors import (
    Busy,
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
)
from katchi.core.geo import (
    Geometry,
    bbox_of,
    envelope_columns,
    envelope_overlaps,
    intersects_bbox,
    parse_bbox,
    validate_geometry,
)
from katchi.core.ids import new_id
from katchi.core.labels import Label, parse_label, stricter

__all__ = [
    "Busy",
    "Conflict",
    "DomainError",
    "Forbidden",
    "Geometry",
    "Invalid",
    "Label",
    "NotFound",
    "Principal",
    "bbox_of",
    "can_read",
    "envelope_columns",
    "envelope_overlaps",
    "intersects_bbox",
    "label_filter",
    "new_id",
    "parse_bbox",
    "parse_label",
    "readable_labels",
    "stricter",
    "validate_geometry",
]
