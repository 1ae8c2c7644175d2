"""The plans of recently answered query documents, by (query text, operation name).

A document gets a plan only after the schema has answered it once with no error at all, so it
is known to parse, to pass validation and the limits (tokens, depth, aliases), and to name a
query operation; a document with no plan (a mutation, a directive, an abstract type: see
api/plan.py) is remembered as such and never compiled again. Bounded like the parser and
validation caches (least recently used first out).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLSchema, parse

from api.plan import SelectionPlan, compile_plan


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    document: DocumentNode
    plan: SelectionPlan


class PlanCache:
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[str, str | None], CompiledQuery | None] = OrderedDict()
        self.answered = 0  # requests a plan answered
        self.fell_back = 0  # requests a plan handed back to the ordinary executor
        self.short_path = 0  # of `answered`, those answered by the HTTP short path

    def get(self, query: str, operation_name: str | None) -> CompiledQuery | None:
        key = (query, operation_name)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def learn(self, schema: GraphQLSchema, query: str, operation_name: str | None) -> None:
        """Compile a document the schema has just answered without errors (once)."""
        key = (query, operation_name)
        if key in self._entries:
            return
        document = parse(query)
        plan = compile_plan(schema, document, operation_name)
        self._entries[key] = CompiledQuery(document, plan) if plan is not None else None
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
