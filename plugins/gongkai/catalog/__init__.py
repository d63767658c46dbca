"""The catalog plugin: turns the content model into the pages of the disclosure site."""
