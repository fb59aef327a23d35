"""Writers of framework code for a spec (no framework is imported to write it)."""
