"""Procedures (权力运行流程): steps and branches as data, standard templates, and their checks.

A procedure is either written out (`steps:`) or named (`template:`) with per-step `overrides`.
Templates are site-wide content (content/_procedures/*.yml), so a county can add its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from ..primitives.frontmatter import Source, parse_yaml, read_text
from ..primitives.tree import ContentTree, walk
from ..primitives.problems import Problem, did_you_mean
from ..sensitive.files import scan_file
from .fields import Days, Schema, Text
from .validation import validate

# --- the schema ----------------------------------------------------------------------------------
StepId = Annotated[str, Field(pattern=r"^[^\s,:]+$", max_length=40)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Branch(Schema):
    to: StepId
    when: str | None = None  # the condition labelling the arrow


class StepChanges(Schema):
    """What an item may change in a template's step."""

    name: str | None = None
    limit: Days | None = None  # working days
    by: str | None = None  # responsible post or internal unit
    output: Annotated[list[Text], BeforeValidator(_as_list)] | None = None  # documents issued
    next: StepId | list[Branch] | None = None


class Step(Schema):
    id: StepId
    name: Text
    limit: Days | None = None
    by: str | None = None
    output: Annotated[list[Text], BeforeValidator(_as_list)] = []
    next: StepId | list[Branch] | None = None  # none: an end

    @property
    def branches(self) -> list[Branch]:
        if self.next is None:
            return []
        if isinstance(self.next, str):
            return [Branch(to=self.next)]
        return list(self.next)


class Procedure(Schema):
    template: str | None = None
    overrides: dict[StepId, StepChanges] = {}
    steps: list[Step] = []

    @model_validator(mode="after")
    def _one_way(self):
        if bool(self.template) == bool(self.steps):
            raise ValueError("give either 'template:' or 'steps:'")
        if self.overrides and not self.template:
            raise ValueError("'overrides:' change a template's steps; with 'steps:' write them directly")
        return self


class ProcedureTemplate(Schema):
    """A standard procedure in content/_procedures/*.yml."""

    name: Text
    description: str | None = None
    steps: list[Step] = Field(min_length=1)
    _source: Any = PrivateAttr(None)

    def bind(self, source: Any) -> None:
        self._source = source

    @property
    def source(self):
        return self._source


TEMPLATES_DIR = "_procedures"


# --- resolved and checked ----------------------------------------------------------------------
@dataclass
class Flow:
    """A resolved procedure: its steps in order, ready to check and to draw."""

    steps: list[Step]
    template: str | None = None

    def key(self) -> tuple:
        """Equal flows draw the same chart: the cache key for drawing."""
        return tuple((s.id, s.name, s.limit, s.by, tuple(s.output),
                      tuple((b.to, b.when) for b in s.branches)) for s in self.steps)


def load_templates(content_dir: Path, tree: ContentTree | None = None) -> tuple[dict[str, ProcedureTemplate], list[Problem]]:
    """The templates of content/_procedures/*.yml: regular files only (a link is reported by the
    tree's walk and never read)."""
    templates: dict[str, ProcedureTemplate] = {}
    problems: list[Problem] = []
    tree = tree if tree is not None else walk(content_dir)
    for rel in tree.under(TEMPLATES_DIR, ".yml", depth=1):
        path = tree.path(rel)
        display = path.relative_to(content_dir.parent).as_posix()
        text, read_problems = read_text(path.read_bytes(), display)
        problems += read_problems
        if text is None:
            continue
        data, positions, yaml_problems = parse_yaml(text, display, line_offset=1)
        problems += yaml_problems
        # A template's words are drawn on every page that names it.
        problems += scan_file(display, data, positions, text, "", 1, [], lambda path: False)
        if not isinstance(data, dict):
            if data is not None:
                problems.append(Problem(display, 1, 1, "", "a procedure template is 'name:' and 'steps:'"))
            continue
        source = Source(display, positions)
        template, schema_problems = validate(ProcedureTemplate, data, source)
        problems += schema_problems
        if template is None:
            continue
        template.bind(source)
        if template.name in templates:
            problems.append(source.problem(("name",), f"template '{template.name}' is also defined in "
                                           f"{templates[template.name].source.path}"))
            continue
        problems += check_steps(template.steps, source, ("steps",))
        templates[template.name] = template
    return templates, problems


def resolve(procedure: Procedure, templates: dict[str, ProcedureTemplate], source: Source,
            at: tuple) -> tuple[Flow | None, list[Problem]]:
    """The procedure's steps, with a template's steps and the item's overrides applied."""
    if not procedure.template:
        return Flow(list(procedure.steps)), []
    template = templates.get(procedure.template)
    if template is None:
        hint = did_you_mean(procedure.template, templates, 0.3) or (
            "templates are content/_procedures/*.yml: " + "、".join(templates) if templates else
            "add the template to content/_procedures/")
        return None, [source.problem(at + ("template",), f"unknown procedure template '{procedure.template}'", hint)]
    ids = [s.id for s in template.steps]
    problems = [source.problem(at + ("overrides", step_id),
                               f"template {procedure.template} has no step '{step_id}'",
                               did_you_mean(step_id, ids) or "its steps are: " + ", ".join(ids))
                for step_id in procedure.overrides if step_id not in ids]
    steps = []
    for step in template.steps:
        changes = procedure.overrides.get(step.id)
        if changes is not None:
            # validate the merged step, so that a changed `next` becomes Branch objects again
            step = Step.model_validate({**step.model_dump(exclude_unset=True),
                                        **changes.model_dump(exclude_unset=True)})
        steps.append(step)
    return Flow(steps, procedure.template), problems


def check_steps(steps: list[Step], source: Source, at: tuple) -> list[Problem]:
    """Structure: unique ids, known targets, conditions on branches, reachability, an end."""
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.id in index:
            problems.append(source.problem(at + (i, "id"), f"duplicate step id '{step.id}'",
                                           "give every step its own id"))
        index.setdefault(step.id, i)
    for i, step in enumerate(steps):
        branches = step.branches
        for j, branch in enumerate(branches):
            where = at + (i, "next") if isinstance(step.next, str) else at + (i, "next", j)
            if branch.to not in index:
                problems.append(source.problem(where, f"unknown step '{branch.to}'",
                                               did_you_mean(branch.to, index) or "name a step's id"))
            if len(branches) > 1 and not (branch.when or "").strip():
                problems.append(source.problem(where, "a branch needs a condition",
                                               "add 'when:', e.g. when: 材料不全"))
    if not steps:
        return problems
    reached = reachable(steps)
    for i, step in enumerate(steps):
        if step.id not in reached:
            problems.append(source.problem(at + (i, "id"), f"step '{step.id}' cannot be reached from the first step",
                                           "lead a 'next' to it, or remove it"))
    if not any(not steps[index[s]].branches for s in reached):
        problems.append(source.problem(at, "the procedure never ends",
                                       "give the last step no 'next' (an end)"))
    return problems


def reachable(steps: list[Step]) -> set[str]:
    by_id = {s.id: s for s in steps}
    seen: set[str] = set()
    todo = [steps[0].id]
    while todo:
        current = todo.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        todo.extend(b.to for b in by_id[current].branches)
    return seen


def longest_path(steps: list[Step]) -> tuple[int, list[str]]:
    """The largest sum of limits over paths from the first step that repeat no step.

    Back edges (loops such as 补正 → 申请) are dropped by a depth-first walk from the first step;
    what remains is acyclic, and its longest path is a linear dynamic programme.
    """
    by_id = {s.id: s for s in steps}
    order: list[str] = []  # reverse post-order = a topological order of the acyclic part
    state: dict[str, int] = {}
    forward: dict[str, list[str]] = {s.id: [] for s in steps}
    stack: list[tuple[str, int]] = [(steps[0].id, 0)]
    state[steps[0].id] = 1
    while stack:
        node, i = stack.pop()
        branches = by_id[node].branches
        if i < len(branches):
            stack.append((node, i + 1))
            target = branches[i].to
            if target not in by_id or state.get(target) == 1:
                continue  # unknown, or a back edge: a loop
            forward[node].append(target)
            if target not in state:
                state[target] = 1
                stack.append((target, 0))
        else:
            state[node] = 2
            order.append(node)
    best: dict[str, tuple[int, list[str]]] = {}
    for node in order:  # post-order: successors first
        own = by_id[node].limit or 0
        tail = max((best[t] for t in forward[node]), key=lambda x: x[0], default=(0, []))
        best[node] = (own + tail[0], [node] + tail[1])
    return best[steps[0].id]


def check_limits(flow: Flow, promised: int | None, statutory: int | None, source: Source,
                 at: tuple) -> list[Problem]:
    """Where limits are given, the longest path may not take longer than the item allows."""
    if not any(s.limit is not None for s in flow.steps):
        return []
    total, path = longest_path(flow.steps)
    names = " → ".join(next(s.name for s in flow.steps if s.id == p) for p in path)
    problems = []
    for limit, label, field in ((promised, "承诺时限", "promised_limit"), (statutory, "法定时限", "statutory_limit")):
        if limit is not None and total > limit:
            problems.append(source.problem(
                at, f"the longest path takes {total} working days, more than the {label} of {limit} ({names})",
                f"shorten the steps' limits or correct {field}"))
            break  # promised ≤ statutory: one message is enough
    return problems


# A fenced block in Markdown: ```procedure … ``` (or ~~~), holding the same YAML as the field.
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*procedure\b[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.M | re.S)


def fenced_procedures(body: str):
    """(index of the YAML's first line in the body, YAML text) for each procedure block."""
    for match in FENCE.finditer(body):
        yield body.count("\n", 0, match.start("body")), match["body"]


def parse_fence(text: str, path: str, first_line: int) -> tuple[Procedure | None, Source, list[Problem]]:
    data, positions, problems = parse_yaml(text, path, line_offset=first_line)
    source = Source(path, positions)
    if problems:
        return None, source, problems
    if not isinstance(data, dict):
        return None, source, [Problem(path, first_line, 1, "procedure",
                                      "a procedure block holds 'steps:' or 'template:'")]
    procedure, problems = validate(Procedure, data, source)
    return procedure, source, problems


def check_procedure(procedure: Procedure, templates: dict[str, ProcedureTemplate], source: Source,
                    at: tuple, promised: int | None = None, statutory: int | None = None
                    ) -> tuple[Flow | None, list[Problem]]:
    """Resolve and check one procedure: structure first, then limits on a sound structure."""
    flow, problems = resolve(procedure, templates, source, at)
    if flow is None:
        return None, problems
    # A template's structure is checked once, in its own file; here only what the item wrote.
    if procedure.steps or any(c.next is not None for c in procedure.overrides.values()):
        structure = check_steps(flow.steps, source, at + ("steps",))
        if structure:
            return None, problems + structure
    return flow, problems + check_limits(flow, promised, statutory, source, at)


def check_fences(body: str, path: str, body_line: int, templates: dict) -> list[Problem]:
    """The problems of every ```procedure block in a Markdown body."""
    found: list[Problem] = []
    for line, text in fenced_procedures(body):
        parsed, source, problems = parse_fence(text, path, body_line + line)
        found += problems
        if parsed is not None:
            found += check_procedure(parsed, templates, source, ())[1]
    return found
