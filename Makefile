# Two commands on a fresh machine:
#   make run    set everything up (SQLite, demo data) and run the portal with a Celery worker and beat
#   make test   set everything up and run the whole test suite (linters and Django's checks included)
.PHONY: run test setup
run:
	@bash scripts/run.sh
test:
	@bash scripts/test.sh $(ARGS)
setup:
	@bash scripts/setup.sh
