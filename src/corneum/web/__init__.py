"""The clinic web app: server-rendered pages over the same services the API uses."""
