"""The GraphQL enums, exactly as the contract (shared/API.md) names them."""

from enum import Enum

import strawberry


@strawberry.enum
class Role(Enum):
    ADMIN = "ADMIN"
    COORDINATOR = "COORDINATOR"
    TRAINER = "TRAINER"
    VOLUNTEER = "VOLUNTEER"


@strawberry.enum
class Gender(Enum):
    FEMALE = "FEMALE"
    MALE = "MALE"


@strawberry.enum
class Domain(Enum):
    HEALTH = "HEALTH"
    EDUCATION = "EDUCATION"
    POVERTY = "POVERTY"
    ENVIRONMENT = "ENVIRONMENT"
    AGRICULTURE = "AGRICULTURE"
    RELIEF = "RELIEF"
    OTHER = "OTHER"


@strawberry.enum
class AssignmentStatus(Enum):
    PROPOSED = "PROPOSED"
    CONFIRMED = "CONFIRMED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
    CHECKED_IN = "CHECKED_IN"
    COMPLETED = "COMPLETED"
    NO_SHOW = "NO_SHOW"
    EXPIRED = "EXPIRED"


@strawberry.enum
class RunStatus(Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@strawberry.enum
class ExchangeStatus(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"


@strawberry.enum
class EnrollmentStatus(Enum):
    ENROLLED = "ENROLLED"
    WAITLISTED = "WAITLISTED"
    COMPLETED = "COMPLETED"
    DROPPED = "DROPPED"


@strawberry.enum
class Direction(Enum):
    INCOMING = "INCOMING"
    OUTGOING = "OUTGOING"
