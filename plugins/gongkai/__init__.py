"""Gongkai (公开): a government public-disclosure site and archive generator on MkDocs."""

__version__ = "0.1.0"
