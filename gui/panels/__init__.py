"""The panels of the main window. Each exposes signals and slots and never reaches for another panel."""
