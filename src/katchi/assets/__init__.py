"""Capability catalogue (bilingual), assets, status and positions."""

from katchi.assets.catalogue import Capability, catalogue, require_capability
from katchi.assets.models import Asset
from katchi.assets.queries import asset_read, civilian_alternatives, list_assets, visible_asset
from katchi.assets.schemas import AssetCreate, AssetRead, AssetUpdate, Caveats, TaskCodes, task_codes
from katchi.assets.service import note_status, register_asset, release_asset, update_asset

__all__ = [
    "Asset",
    "AssetCreate",
    "AssetRead",
    "AssetUpdate",
    "Capability",
    "Caveats",
    "TaskCodes",
    "asset_read",
    "catalogue",
    "civilian_alternatives",
    "list_assets",
    "note_status",
    "register_asset",
    "release_asset",
    "require_capability",
    "task_codes",
    "update_asset",
    "visible_asset",
]
