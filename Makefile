# The portal's two commands: `make run` serves it, `make test` tests it. See README.md.
.PHONY: run test stop reset status bench

run:
	dev/run.sh

test:
	dev/test.sh $(ARGS)

stop:
	dev/services.sh stop

status:
	dev/services.sh status

reset:
	dev/services.sh reset

# What the access policy costs against stock CKAN, on the same services (not part of `make test`).
bench:
	dev/bench.sh
