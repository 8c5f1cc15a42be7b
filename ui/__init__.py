"""Streamlit helpers of the app (state, language, shared widgets). The domain logic stays in ``dti/``."""
