"""Streamlit glue shared by the pages: database access, the current profile, common blocks."""
