"""The GraphQL schema: area Query/Mutation classes merged, plus limits and client-safe errors.

To plug in an area, add its class to QUERY_TYPES / MUTATION_TYPES (one line each).
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.execution import ExecutionResult

from api.error_extension import ClientSafeErrors, uncoded_to_client
from api.errors import ApiError
from api.executor import TahalufExecutionContext
from api.plan_cache import CompiledQuery, PlanCache
from api.plan_run import Fallback, run_plan
from api.planned_http import NO_PLAN
from api.types.values import parse_datetime, serialize_datetime

QUERY_TYPES: tuple[str, ...] = (
    "api.queries.volunteers.VolunteerQuery",
    "api.queries.associations.AssociationQuery",
    "api.queries.reference.ReferenceQuery",
    "api.queries.events.EventQuery",
    "api.queries.exchange.ExchangeQuery",
    "api.queries.matching.MatchingQuery",
    "api.queries.training.TrainingQuery",
)

MUTATION_TYPES: tuple[str, ...] = (
    "api.mutations.volunteers.VolunteerMutation",
    "api.mutations.events.EventMutation",
    "api.mutations.associations.AssociationMutation",
    "api.mutations.assignments.AssignmentMutation",
    "api.mutations.exchange.ExchangeMutation",
    "api.mutations.matching.MatchingMutation",
    "api.mutations.training.TrainingMutation",
)

SUBSCRIPTION_MODULE = "api.subscriptions"

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000
# Parsed documents and validation results of recently seen query texts (bounded LRUs shared
# by all requests): a client sending the same query again skips parse + ~30 validation rules.
DOCUMENT_CACHE_SIZE = 256

# The limit rules are built ONCE: the validation cache is keyed by (schema, document, rules),
# and Strawberry's limiter extensions create new rule classes per instance (= per request).
LIMIT_RULES = (max_depth_rule(MAX_DEPTH, None, None), max_aliases_rule(MAX_ALIASES))


def _load(dotted: str) -> type:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _subscription() -> type | None:
    if importlib.util.find_spec(SUBSCRIPTION_MODULE) is None:
        return None
    return getattr(importlib.import_module(SUBSCRIPTION_MODULE), "Subscription", None)


DATETIME = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 with offset; stored and compared in UTC, shown in Africa/Cairo",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)


class TahalufSchema(strawberry.Schema):
    """Strawberry's schema, answering documents it has answered cleanly before from their
    compiled plans (api/plan.py) when it can, and through Strawberry otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = PlanCache(DOCUMENT_CACHE_SIZE)
        # errors are rewritten for clients only by a schema that has the extension doing it
        self.client_safe = ClientSafeErrors in self.extensions
        # plans call resolvers directly: only when no extension wraps every resolver
        self.plans_enabled = not any(ext._implements_resolve() for ext in self.get_extensions())

    async def execute(  # type: ignore[override]  # noqa: PLR0913, PLR0917
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Any = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        request = getattr(context_value, "request", None)
        plannable = (
            self.plans_enabled
            and bool(query)
            and not operation_extensions
            and not (request is not None and NO_PLAN in request.scope)  # its plan fell back
        )
        compiled = self.plans.get(query, operation_name) if plannable else None  # type: ignore[arg-type]
        if compiled is not None:
            data = await self.answer_from_plan(
                compiled, variable_values, context_value, root_value, operation_name
            )
            if data is not None:
                return ExecutionResult(data=data, errors=None, extensions={})
        result = await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        if plannable and compiled is None and type(result) is ExecutionResult and not result.errors:
            self.plans.learn(self._schema, query, operation_name)  # type: ignore[arg-type]
        if result.errors and self.client_safe:
            result.errors = uncoded_to_client(result.errors, context_value)
        return result

    async def answer_from_plan(
        self,
        compiled: CompiledQuery,
        variable_values: dict[str, Any] | None,
        context_value: Any,
        root_value: Any,
        operation_name: str | None,
    ) -> dict[str, Any] | None:
        """The operation's data from its plan, or None to let Strawberry answer it."""
        executor = self.execution_context_class.build(  # type: ignore[attr-defined]
            self._schema,
            compiled.document,
            root_value=root_value,
            context_value=context_value,
            raw_variable_values=variable_values,
            operation_name=operation_name,
            is_awaitable=optimized_is_awaitable,
        )
        if isinstance(executor, list):  # variables that do not coerce: Strawberry reports them
            self.plans.fell_back += 1
            return None
        try:
            data = await run_plan(compiled.plan, executor)
        except Fallback:
            self.plans.fell_back += 1
            return None
        self.plans.answered += 1
        return data

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log only unexpected failures; ApiErrors are the normal answers to bad requests."""
        unexpected = [
            e
            for e in errors
            if e.path is not None and not isinstance(e.original_error, ApiError | type(None))
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema() -> strawberry.Schema:
    query = merge_types("Query", tuple(_load(name) for name in QUERY_TYPES))
    mutation = (
        merge_types("Mutation", tuple(_load(name) for name in MUTATION_TYPES))
        if MUTATION_TYPES
        else None
    )
    from api.types import enums

    return TahalufSchema(
        query=query,
        mutation=mutation,
        subscription=_subscription(),
        # every contract enum is in the SDL, even one no field uses yet (Role)
        types=[
            enums.Role,
            enums.Gender,
            enums.Domain,
            enums.AssignmentStatus,
            enums.RunStatus,
            enums.ExchangeStatus,
            enums.EnrollmentStatus,
            enums.Direction,
        ],
        config=StrawberryConfig(scalar_map={datetime: DATETIME}),
        # frees each operation's objects when it ends, without the cyclic collector
        execution_context_class=TahalufExecutionContext,
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(list(LIMIT_RULES)),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            ClientSafeErrors,
        ],
    )
