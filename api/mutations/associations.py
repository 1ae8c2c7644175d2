"""setSharingPolicy: how the caller's association lends its volunteers."""

import strawberry
from strawberry.types import Info

from api.errors import bad_input, forbidden, graph_refusals
from api.permissions import IsAdminOrCoordinator
from api.types.association import Association, load_association
from api.types.sharing_policy_input import SharingPolicyInput
from graph.associations import set_sharing_policy
from graph.registration import existing_codes
from graph.types import SharingPolicyRecord

MAX_BORROWERS = 100


@strawberry.type
class AssociationMutation:
    @strawberry.mutation(permission_classes=[IsAdminOrCoordinator])
    async def set_sharing_policy(self, info: Info, input: SharingPolicyInput) -> Association:
        ctx = info.context
        viewer = ctx.require_viewer()
        if viewer.is_admin:
            if input.association is None:
                raise bad_input("input.association", "required")
            association = str(input.association)
        else:
            if input.association is not None and str(input.association) != viewer.association:
                raise forbidden()
            association = viewer.association
        if not 0.0 <= input.max_share <= 1.0:
            raise bad_input("input.maxShare", "share_range")
        requested = [str(b) for b in input.borrowers] if input.borrowers is not None else None
        if requested is not None and len(requested) > MAX_BORROWERS:
            raise bad_input("input.borrowers", "too_long", max=MAX_BORROWERS)
        known = await existing_codes(
            ctx.driver, skills=[], governorates=[], associations=[association, *(requested or [])]
        )
        if association not in known["associations"]:
            raise bad_input("input.association", "unknown_association", id=association)
        for i, b in enumerate(requested or []):
            if b not in known["associations"]:
                raise bad_input(f"input.borrowers[{i}]", "unknown_association", id=b)
        # lending to oneself means nothing: drop it rather than refuse
        borrowers = None if requested is None else sorted(set(requested) - {association})
        policy = SharingPolicyRecord(
            lends=input.lends,
            max_share=input.max_share,
            requires_approval=input.requires_approval,
            borrowers=tuple(borrowers) if borrowers is not None else None,
        )
        async with graph_refusals():
            await set_sharing_policy(ctx.driver, association, policy)
        ctx.loaders.clear_all()
        return await load_association(info, association)
