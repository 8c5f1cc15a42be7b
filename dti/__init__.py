"""dti: self-assessment of the provincial Digital Transformation Index (DTI).

The domain package, importable without Streamlit: framework model and validation (``framework``,
``validation``, ``registry``), scoring (``rules``, ``engine``, ``batch``), file inputs (``inputs``),
and the command line (``python -m dti``).
"""

__version__ = "0.1.0"
