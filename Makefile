# The portal's two commands: `make run` serves it, `make test` tests it. See README.md.
.PHONY: run test stop reset status bench search-quality

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

# The portal beside stock CKAN on a city-scale catalog, same services (not part of `make test`).
bench:
	dev/bench.sh $(ARGS)

# Recall, P@10 and MRR of the judged query set (tests/search/judged/), portal beside stock CKAN.
search-quality:
	dev/test.sh tests/search/test_judged.py -q -p no:cacheprovider -k test_search_quality
