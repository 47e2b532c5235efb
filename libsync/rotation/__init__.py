"""Rotation of printed materials: batches, term schedules, exchange manifests, minutes, calendar."""
