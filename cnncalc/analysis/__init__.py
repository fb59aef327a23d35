"""Analyses of a built graph: each returns frozen records that renderers only read."""
