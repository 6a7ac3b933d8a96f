"""Curation of the open directory (开放目录): spreadsheet import and export."""
