"""Fast unit tests of the pure rules: no Flask app, no database, no HTTP."""
