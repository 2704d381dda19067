"""Accounts and access (issue 4, point 3): roles, the access policy, credentials.

`roles` (UserRole, Principal), `policy` (the one place where access is decided:
`allows(principal, permission, resource=None) -> Decision`), `credentials`
(argon2 passwords, bearer secrets and their digests), `inputs`, `accounts`
(on a connection) and `service.Accounts` (one audited transaction per write).
See docs/access.md.
"""
