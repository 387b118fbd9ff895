"""CallAhead's window: thin Qt widgets over core's queries and actions."""
