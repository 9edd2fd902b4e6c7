"""Back on Track's logic: importable and testable without Streamlit."""
