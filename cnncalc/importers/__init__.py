"""Importers: models from other tools (ONNX files, PyTorch modules) → spec documents.

Each importer returns a plain spec document (the YAML/JSON format), so everything downstream —
validation, shapes, analyses — is the same as for a hand-written spec. Operators an importer does
not understand are listed in one error, never skipped.
"""
