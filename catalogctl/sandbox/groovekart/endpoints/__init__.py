"""One module per endpoint family. Every handler is `(conn, body, api_user) -> Reply`."""
