"""What one GraphQL request costs the process beyond its answer: the DataLoaders it builds, the
objects it leaves for the cyclic garbage collector, and the heap every collection walks."""

from __future__ import annotations

import gc
import weakref

from api.schema import build_schema



class _Context:
    """Stands in for the request's Context: all the executor needs is an object."""


async def test_an_operation_frees_its_objects_without_the_cyclic_collector() -> None:
    """graphql-core's executor referenced itself through `async_helpers`, so the Context (with
    its loaders, futures, request) lived on after every request until a collection."""
    schema = build_schema()
    query = "query($t: String!) { __type(name: $t) { name } a: __typename }"
    variables = {"t": "Volunteer"}
    await schema.execute(query, variable_values=variables)  # parsed and validated once, cached
    gc.collect()
    gc.disable()
    try:
        context = _Context()
        alive = weakref.ref(context)
        result = await schema.execute(query, variable_values=variables, context_value=context)
        assert result.errors is None
        assert result.data == {"__type": {"name": "Volunteer"}, "a": "Query"}
        del context, result
        assert alive() is None, gc.get_referrers(alive())
    finally:
        gc.enable()
