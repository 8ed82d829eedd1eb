"""What the API, the web app (and the client portal) share over HTTP: the unit of work per
request, the clock, the knowledge base, the signed-in principal and the role sets, the photo
store, the error mapping and the middleware. It imports the services (records) and is imported by
``api`` and ``web``; it imports neither of them."""
