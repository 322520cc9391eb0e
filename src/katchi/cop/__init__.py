"""Incidents, facilities and the layers of the common operating picture."""

from katchi.cop.districts import District, all_districts, district_at, district_of
from katchi.cop.models import Facility, Incident
from katchi.cop.queries import facility_history, get_facility, get_incident, list_facilities, list_incidents
from katchi.cop.replay import fold, picture_at
from katchi.cop.schemas import (
    FacilityChange,
    FacilityCreate,
    FacilityRead,
    FacilityUpdate,
    IncidentCreate,
    IncidentRead,
    IncidentUpdate,
)
from katchi.cop.service import add_facility, release_incident, report_incident, update_facility, update_incident
from katchi.cop.situation import DistrictRow, Figures, Situation, situation

__all__ = [
    "District",
    "DistrictRow",
    "Facility",
    "FacilityChange",
    "FacilityCreate",
    "FacilityRead",
    "FacilityUpdate",
    "Figures",
    "Incident",
    "IncidentCreate",
    "IncidentRead",
    "IncidentUpdate",
    "Situation",
    "add_facility",
    "all_districts",
    "district_at",
    "district_of",
    "facility_history",
    "fold",
    "get_facility",
    "get_incident",
    "list_facilities",
    "list_incidents",
    "picture_at",
    "release_incident",
    "report_incident",
    "situation",
    "update_facility",
    "update_incident",
]
