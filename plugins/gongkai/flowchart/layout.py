"""Place a procedure's steps on a grid: the main path down the middle, side exits to the right.

Why not a general graph layout (grandalf's layered Sugiyama layout was tried on paper): it
balances layers and spreads the main path sideways, while a 权力运行流程图 is read as a
vertical spine — 申请 → 受理 → 审查 → 决定 → 送达 — with side exits (不予受理, 不予许可) and
correction loops (补正 → 申请). That shape needs three rules, not a layout engine:

1. The spine: from the first step, follow each step's first branch not yet on the spine
   (editors list the main way first).
2. Side steps: each branch off the spine goes to column 1 at the first free row at or below its
   source, and its chain continues downward in that column (or steps one column right).
3. Edges: spine→next spine row is a straight arrow; spine→side is an elbow to the right; any other
   edge (a loop back, a side step rejoining the spine, a skip) runs in its own lane outside the
   columns, so loops are visible and nothing crosses a box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.schema.procedure import Step

STRAIGHT, SIDE, LANE_LEFT, LANE_RIGHT = "straight", "side", "lane-left", "lane-right"


@dataclass
class Edge:
    source: str
    target: str
    when: str | None
    kind: str = STRAIGHT
    lane: int = 0  # lane index for lane edges; exit index for side edges


@dataclass
class Grid:
    steps: dict[str, Step]
    cell: dict[str, tuple[int, int]] = field(default_factory=dict)  # id → (column, row)
    edges: list[Edge] = field(default_factory=list)
    spine: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return 1 + max((r for _, r in self.cell.values()), default=0)

    @property
    def columns(self) -> int:
        return 1 + max((c for c, _ in self.cell.values()), default=0)

    def lanes(self, kind: str) -> int:
        return sum(1 for e in self.edges if e.kind == kind)


def layout(steps: list[Step]) -> Grid:
    by_id = {s.id: s for s in steps}
    grid = Grid(by_id)
    taken: set[tuple[int, int]] = set()

    def place(step_id: str, column: int, row: int) -> None:
        grid.cell[step_id] = (column, row)
        taken.add((column, row))

    # 1. the spine
    current: str | None = steps[0].id if steps else None
    while current is not None and current not in grid.cell:
        place(current, 0, len(grid.spine))
        grid.spine.append(current)
        current = next((b.to for b in by_id[current].branches
                        if b.to in by_id and b.to not in grid.cell), None)

    # 2. side steps: each exit from the spine, with its whole chain, before the next spine step
    def grow(source: str) -> None:
        column, row = grid.cell[source]
        for branch in by_id[source].branches:
            target = branch.to
            if target not in by_id or target in grid.cell:
                continue
            if column == 0:  # off the spine: first free row at or below, in the first side column
                spot = _free(taken, 1, row)
            elif (column, row + 1) not in taken:  # a side chain goes down its column
                spot = (column, row + 1)
            else:
                spot = _free(taken, column + 1, row)
            place(target, *spot)
            grow(target)

    for step_id in list(grid.spine):
        grow(step_id)
    for step in steps:  # unreachable steps (only in charts that failed their checks) go last
        if step.id not in grid.cell:
            place(step.id, 0, grid.rows)

    # 3. edges
    exits: dict[str, int] = {}
    left = right = 0
    for step in steps:
        sc, sr = grid.cell[step.id]
        for branch in step.branches:
            if branch.to not in grid.cell:
                continue
            tc, tr = grid.cell[branch.to]
            edge = Edge(step.id, branch.to, branch.when)
            if sc == tc and tr == sr + 1:
                edge.kind = STRAIGHT
            elif tc > sc and tr >= sr and (sc == 0 or tr == sr) and _first_visit(grid, step.id, branch.to):
                edge.kind, edge.lane = SIDE, exits.get(step.id, 0)
                exits[step.id] = edge.lane + 1
            elif sc == 0 and tc == 0:
                edge.kind, edge.lane = LANE_LEFT, left
                left += 1
            else:
                edge.kind, edge.lane = LANE_RIGHT, right
                right += 1
            grid.edges.append(edge)
    return grid


def _free(taken: set, column: int, row: int) -> tuple[int, int]:
    while (column, row) in taken:
        row += 1
    return column, row


def _first_visit(grid: Grid, source: str, target: str) -> bool:
    """A side edge is the one that placed the target (later edges to it take a lane)."""
    for edge in grid.edges:
        if edge.target == target and edge.kind == SIDE:
            return False
    return True
