"""The local Realtime service: Phoenix channels for postgres_changes, broadcast and presence."""
