"""Search: the whoosh archive engine (CLI and JSON API) and the browser search of the site."""
