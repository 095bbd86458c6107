"""The org tree loaded once: parents, codes and names, for what units inherit from their ancestors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..database import db
from .models import OrgUnit


@dataclass(frozen=True)
class Units:
    parent: dict[int, int | None]
    code: dict[int, str]
    name: dict[int, str]

    @classmethod
    def load(cls) -> Units:
        rows = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code, OrgUnit.name_th)).all()
        return cls({r.id: r.parent_id for r in rows}, {r.id: r.code for r in rows}, {r.id: r.name_th for r in rows})

    def chain(self, unit_id: int) -> list[int]:
        """The unit and its ancestors, root first."""
        chain, current = [], unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent.get(current)
        return chain[::-1]

    def codes(self, unit_id: int) -> list[str]:
        """The codes of the unit and its ancestors, root first: what policy overrides are keyed by,
        and a sort key that puts a unit after its parent and before its parent's next sibling."""
        return [self.code[u] for u in self.chain(unit_id)]
