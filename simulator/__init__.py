"""Partner simulator: the partners' APIs, an SMTP catcher, failure modes and signed events,
so that `make run` and the tests exercise the platform against something real."""
