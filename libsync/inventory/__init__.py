"""Stocktakes (kiểm kê): scans, snapshots, before/after diffs, shelf checks and minutes."""
