"""Framework code shared by every domain. Imports no domain package."""
