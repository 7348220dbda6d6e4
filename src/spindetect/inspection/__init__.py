"""Inspection: telling a spun page from natural text without its source (work in progress)."""
