"""The graphql-core executor the schema runs operations with: Strawberry's, minus a reference
cycle that kept every request's objects alive until the cyclic garbage collector found them.

graphql-core's executor builds `self.async_helpers = GraphQLResolveInfoHelpers(
gather=self.gather_async_work, track=self.track_async_work)`: two bound methods of itself, so
executor -> helpers -> executor is a cycle, and everything the executor holds (the Context
with its DataLoaders and their futures, the request and response, the variables, the
collected fields) could not be freed by reference counting when the request ended. For
`me { assignments }` that was ~130 objects a request, all left to the collector: it ran every
few requests and took ~8% of the server's CPU under 32 clients (bench/api.py).

Here the helpers reach the executor through weak references. An execution holds its executor
strongly for as long as it runs (it is `self` in every frame that resolves a field, and the
sub-executors and per-event subscription executors are made from it while it is alive), and
the helpers are only called from inside those frames, so they behave exactly as before; when
the operation ends, the executor and what it held are freed at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` (bound) called through a weak reference to its object."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = ref()
        if bound is None:  # only reachable by keeping an Info past the end of its operation
            raise RuntimeError("the GraphQL operation this field belonged to has ended")
        return bound(*args, **kwargs)

    return call


class TahalufExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )
