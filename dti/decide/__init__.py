"""Deciding what to fix: scenarios, goal seek, uncertainty, peers, reports and the workshop demo."""
