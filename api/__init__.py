"""API: the FastAPI app, the web widget and the chat-platform integrations."""
