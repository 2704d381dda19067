"""The audit trail: an append-only, hash-chained log of every change (issue 4, point 4).

`chain` (pure: hashing, verification), `replay` (pure: a subject's states),
`files` (the key and the head outside the database), `store` (append, read,
verify on a connection) and `trail.AuditTrail`, which the service holds.
The threat model is in docs/audit-threat-model.md.
"""
