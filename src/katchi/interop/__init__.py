"""Interoperability: OASIS CAP, Cursor-on-Target, HXL and GeoJSON in and out."""
