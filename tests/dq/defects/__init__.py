"""A private pipeline for the defect test: its own simulator and warehouse, short history."""
