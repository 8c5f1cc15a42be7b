"""Streamlit entry point (a minimal placeholder until the pages land): shows the edition and its structure."""

import streamlit as st

from dti import registry

st.set_page_config(page_title="DTI tự đánh giá", page_icon="📊", layout="wide")
fw = registry.load(registry.DEFAULT_EDITION)
st.title(fw.title_vi)
st.caption(fw.legal_basis)
st.write(f"{len(fw.main_indices)} chỉ số chính, {len(fw.components)} chỉ số thành phần, {fw.total_points:g} điểm.")
