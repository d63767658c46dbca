"""The content model: plain Python, no MkDocs import, in layers that import only downwards.

    primitives/  problems, dates, text (the normaliser), frontmatter — no kind of content known
    sensitive/   detection (pure text; primitives.problems masks with it), files, attachments
    schema/      fields, records, procedure, kinds (the Kind registry), validation, placeholders
    assembly/    load (load_catalog), catalog (the Catalog), rules (cross-file checks)

`load_catalog(content_dir)` reads every content file, validates it against its kind's schema,
applies the cross-file rules and returns the Catalog together with every problem found.
"""

from .assembly.catalog import Catalog
from .assembly.load import build_date, load_catalog
from .primitives.problems import Problem, Severity
from .schema.kinds import KINDS, RECORD_KINDS, Kind

__all__ = ["Catalog", "KINDS", "Kind", "Problem", "RECORD_KINDS", "Severity", "build_date", "load_catalog"]
