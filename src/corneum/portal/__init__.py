"""The client's side: server-rendered pages for a client signed in with her personal link, over
the same services as the staff's API and web app, with a principal of its own."""
