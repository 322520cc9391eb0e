"""Capability catalogue (bilingual), assets, status and positions."""

from katchi.assets.catalogue import Capability, catalogue, require_capability
from katchi.assets.models import Asset, AssetPosition
from katchi.assets.positions import PositionPolicy, prune_positions, report_position, track
from katchi.assets.queries import asset_read, civilian_alternatives, list_assets, visible_asset
from katchi.assets.schemas import (
    AssetCreate,
    AssetRead,
    AssetUpdate,
    Caveats,
    TaskCodes,
    Track,
    TrackPoint,
    task_codes,
)
from katchi.assets.service import (
    EXERCISE_PREFIX,
    MANAGING,
    lend_asset,
    note_status,
    register_asset,
    release_asset,
    update_asset,
)

__all__ = [
    "EXERCISE_PREFIX",
    "MANAGING",
    "Asset",
    "AssetCreate",
    "AssetPosition",
    "AssetRead",
    "AssetUpdate",
    "Capability",
    "Caveats",
    "PositionPolicy",
    "TaskCodes",
    "Track",
    "TrackPoint",
    "asset_read",
    "catalogue",
    "civilian_alternatives",
    "lend_asset",
    "list_assets",
    "note_status",
    "prune_positions",
    "register_asset",
    "release_asset",
    "report_position",
    "require_capability",
    "task_codes",
    "track",
    "update_asset",
    "visible_asset",
]
