"""Authentication, need-to-know access, CSRF, audit — applied to every route."""
