"""The flowchart plugin: procedures drawn as SVG at build time (权力运行流程图)."""
