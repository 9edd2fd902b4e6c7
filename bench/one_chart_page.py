"""The browser benchmark's reference page: one small Plotly chart and nothing else.

``python -m bench`` serves it with ``streamlit run bench/one_chart_page.py`` and times
navigation to the chart drawn, beside the same for the Progress page.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.progress.charts.style import CHART_CONFIG

st.title("One chart")
figure = go.Figure(
    go.Scatter(x=list(range(12)), y=[6, 6, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2], mode="lines+markers")
)
figure.update_layout(height=320, margin={"l": 8, "r": 8, "t": 16, "b": 8})
st.plotly_chart(figure, config=CHART_CONFIG, key="one_chart")
