# Tests: host unit tests (tests/unit) and QEMU integration tests (tests/integration).
.PHONY: test
test: deps all
	@echo "(tests not yet wired)"
