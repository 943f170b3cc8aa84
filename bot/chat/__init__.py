"""Talking to the dialogue engine on behalf of a signed-in practitioner, and the web chat page's services."""
