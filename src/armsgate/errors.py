"""The project's errors, each with its HTTP status and CLI exit code.

    ArmsgateError
    ├── InputError       bad input: names the field and the problem (422, exit 2)
    │   └── NotFound     a referenced record does not exist (404, exit 2)
    ├── StateConflict    the action does not fit the record's state (409, exit 1)
    │   └── Conflict     the record changed since the user read it: a stale
    │                    `expected_version` (409, exit 4: read it again and retry)
    ├── Unauthenticated  no valid credentials: sign in (401, exit 5)
    ├── Forbidden        the role may not do this; the message says why (403, exit 5)
    └── StoreError       the database cannot be reached or set up (503, exit 3)

Every write is one transaction: when one of these is raised, nothing is written.
"""

from __future__ import annotations


class ArmsgateError(Exception):
    status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ArmsgateError):
    status = 422
    exit_code = 2

    def __init__(self, field: str, problem: str, *, source: str | None = None) -> None:
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}: {problem}" if field else f"{where}{problem}")
        self.field = field
        self.problem = problem
        self.source = source


class NotFound(InputError):
    status = 404


class StateConflict(ArmsgateError):
    status = 409
    exit_code = 1


class Conflict(StateConflict):
    """Optimistic locking: the user acted on a version of the record that is no longer
    current (another change came first). Nothing is written; read again and retry."""

    exit_code = 4

    def __init__(self, subject: str, record_id: str, expected: int, actual: int) -> None:
        super().__init__(f"{subject} {record_id!r} is at version {actual}, not {expected}: "
                         "it changed since it was read; read it again and retry")
        self.subject = subject
        self.record_id = record_id
        self.expected = expected
        self.actual = actual


class Unauthenticated(ArmsgateError):
    status = 401
    exit_code = 5


class Forbidden(ArmsgateError):
    status = 403
    exit_code = 5


class StoreError(ArmsgateError):
    status = 503
    exit_code = 3
