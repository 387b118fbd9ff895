"""Build-time helpers: the icon generator and what goes into the PyInstaller bundle. Not shipped."""
