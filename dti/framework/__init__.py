"""The framework edition as data: model, validation and the registry of edition files."""
