"""Streamlit upstream for Portcullis tests: shows the identity headers that reached it on the
WebSocket handshake (st.context.headers), one `Name: value` line each, so a browser test can
read what the app saw behind the proxy."""
import streamlit as st

st.title("Portcullis test app")
headers = st.context.headers.to_dict()
st.text(f"user: {headers.get('X-Forwarded-Email', '(none)')}")
st.text(f"groups: {headers.get('X-Forwarded-Groups', '(none)')}")
for name in sorted(headers):
    st.text(f"{name}: {headers[name]}")
