"""MkDocs plugin `gongkai/flowchart`: item and guide procedures, and ```procedure blocks, as SVG."""

from __future__ import annotations

from html import escape

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from ..catalog.plugin import catalog_of
from ..model.assembly.catalog import Catalog
from ..model.schema.procedure import Flow, check_procedure, parse_fence
from ..model.schema import Record
from .config import FlowchartConfig
from .draw import figure

SUPERFENCES = "pymdownx.superfences"
TITLE = "\x00title\x00"  # stands for the chart's title in a cached drawing


class FlowchartPlugin(BasePlugin[FlowchartConfig]):
    # This build's config: the fence formatter and the templates' flowchart() run long after
    # on_config, and find the Catalog through it.
    mkdocs_config: MkDocsConfig
    # Drawings by Flow.key(), the title left as TITLE: items that share a procedure are drawn once.
    cache: dict[tuple, str]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        self.mkdocs_config = config
        self.cache = {}
        if SUPERFENCES not in config.markdown_extensions:
            config.markdown_extensions.append(SUPERFENCES)
        fences = config.mdx_configs.setdefault(SUPERFENCES, {}).setdefault("custom_fences", [])
        fences.append({"name": self.config.fence, "class": "gk-procedure", "format": self._format_fence})
        return config

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if self.config.enabled:
            env.globals["flowchart"] = self._record_chart
        return env

    # --- drawing -------------------------------------------------------------------------------
    def _catalog(self) -> Catalog:
        return catalog_of(self.mkdocs_config, "gongkai/flowchart")

    def _figure(self, flow: Flow, title: str) -> str:
        """Items that share a procedure share one drawing (most use a template as it is); the
        title is put in afterwards. The cache is bounded: memory stays flat on large sites."""
        key = flow.key()
        drawing = self.cache.get(key)
        if drawing is None:
            if len(self.cache) >= 4096:
                self.cache.clear()
            drawing = self.cache[key] = figure(flow, TITLE)
        return drawing.replace(TITLE, escape(title))

    def _record_chart(self, record: Record) -> Markup:
        flow = self._catalog().flow_of(record)
        if flow is None:
            return Markup("")
        name = getattr(record, "name", None) or getattr(record, "title", "")
        return Markup(self._figure(flow, f"{name}流程图"))

    def _format_fence(self, source, language, class_name, options, md, **kwargs) -> str:
        # `gongkai check` and the catalog plugin have already checked every block with located
        # errors; a block that still fails here (e.g. in a page outside content/) shows its problem.
        catalog = self._catalog()
        procedure, src, problems = parse_fence(source, "procedure", 1)
        flow = None
        if procedure is not None:
            flow, problems = check_procedure(procedure, catalog.templates, src, ())
        if flow is None or problems:
            text = "; ".join(p.message for p in problems) or "invalid procedure"
            return f'<p class="gk-procedure-error">流程图有误：{escape(text)}</p>'
        title = options.get("title") or (f"{procedure.template}流程图" if procedure.template else "流程图")
        return self._figure(flow, title)
