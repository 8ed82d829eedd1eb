"""Attacks on Corneum, written for a clinic's auditor to read.

Each test here plays something an attacker, a careless client or a failing machine does to a
running Corneum, over real HTTP to a real server on loopback (or the installed command in its own
process), on SQLite and on PostgreSQL, and checks what the clinic is promised:

- ``test_no_500s``: hostile or absurd input (a NUL byte in a search, a week in the year 9999 or 1,
  a session booked for 9999, working hours with a UTC offset) gets a clear refusal naming the
  field, never a server error; a full photo disk is a 507 that leaves no partial file behind; a
  SQLite file with corrupt pages stops ``corneum serve`` before it starts, naming the problem.
- ``test_files_and_logs``: the database and its folder are readable by the server's user only,
  and no bound parameter or driver message (searched names, emails) reaches an error text or a
  log line.
- ``test_inputs``: a client's email is one valid address or refused; calendar feeds carry no
  control characters; HTML pages carry a Content-Security-Policy; the API documentation is
  served from local files and only where the settings allow; adding a user does not reveal that
  an email belongs to another clinic; an image that is not one, or a decompression bomb, is
  refused.
- ``test_sign_in_flood``: dozens of made-up sign-ins at once, from many addresses and from one,
  get 401, 429 or 503 quickly, never a 500; staff working meanwhile get every answer; the health
  check stays fast and the server's memory bounded.
- ``test_sign_in_lockout``: thirty wrong passwords for one account at once are checked at most
  five times; the wait that follows grows but never locks the owner out, who gets past it with
  her one-time code.
- ``test_body_limits``: oversized bodies (declared or streamed) are refused with 413 before they
  are read; an upload without a session or CSRF token is refused before a byte is spooled.

Every loop in these tests is bounded in count and time, and talks only to 127.0.0.1.
"""
