"""VolunteerConnection (keyset-paged by volunteer id)."""

import strawberry

from api.types.connection import Connection
from api.types.volunteer import Volunteer


@strawberry.type
class VolunteerConnection(Connection[Volunteer]):
    pass
