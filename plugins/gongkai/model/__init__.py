"""The content model: plain Python, no MkDocs import.

`load_catalog(content_dir)` reads every content file, validates it against its schema,
applies the cross-file rules and returns the Catalog together with every problem found.
"""

from .catalog import Catalog, load_catalog
from .problems import Problem, Severity

__all__ = ["Catalog", "Problem", "Severity", "load_catalog"]
