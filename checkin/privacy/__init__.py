"""PDPA duties: retention of biometric data and an employee's copy of their own data."""
