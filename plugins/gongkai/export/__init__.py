"""Open data downloads and the offline, verifiable bundle of the site."""
