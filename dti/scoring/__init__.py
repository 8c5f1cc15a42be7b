"""Scoring: rules read a component's answer, the engine aggregates, the batch scorer vectorises."""
