"""The four roles. Scope rules live with the data they guard (see org.scope)."""

ADMIN = "admin"
HR = "hr"
SUPERVISOR = "supervisor"
EMPLOYEE = "employee"

ALL_ROLES = (ADMIN, HR, SUPERVISOR, EMPLOYEE)
