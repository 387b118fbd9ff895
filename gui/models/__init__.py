"""Qt item models over core queries (columns as IntEnums, raw sort keys in UserRole)."""
