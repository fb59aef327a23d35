"""Renderers: read result records, write text. They never compute anything new."""
