"""What one GraphQL request costs the process beyond its answer: the DataLoaders it builds, the
objects it leaves for the cyclic garbage collector, and the heap every collection walks."""

from __future__ import annotations

import gc
import weakref

from strawberry.dataloader import DataLoader

from api.app import create_app
from api.heap import GC_YOUNG_THRESHOLD
from api.loaders.registry import Loaders
from api.schema import build_schema
from graph.settings import Settings


async def test_loaders_are_made_on_first_use_and_kept_for_the_request() -> None:
    loaders = Loaders.create(None)  # type: ignore[arg-type] - no loader here reads anything
    assert loaders.created() == []
    volunteers = loaders.volunteers
    assert isinstance(volunteers, DataLoader)
    assert loaders.volunteers is volunteers and loaders.created() == [volunteers]
    volunteers.prime("v1", {"id": "v1"})
    loaders.clear_all()
    assert volunteers.cache_map.get("v1") is None
    # another request gets its own loaders: nothing is shared across requests
    assert Loaders.create(None).volunteers is not volunteers  # type: ignore[arg-type]


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


async def test_started_app_has_a_settled_heap(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000  # modules, schemas, driver: out of every collection
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
