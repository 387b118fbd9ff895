"""Dialogs, each with a small API a test can drive without exec()."""
