"""TrainingProgramConnection (ordered by start time)."""

import strawberry

from api.types.connection import Connection
from api.types.training_program import TrainingProgram


@strawberry.type
class TrainingProgramConnection(Connection[TrainingProgram]):
    pass
