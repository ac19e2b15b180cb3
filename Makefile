# kompass: the two commands are `make run` (the pipeline on the shipped data)
# and `make test` (every test). See README.md.

CARGO ?= cargo
OUT ?= notebooks-out

.PHONY: run test lint bench bench-quick crosscheck build sample clean browser

build:
	$(CARGO) build --release

run: build
	./target/release/kompass run --config data/kompass.example.toml --out $(OUT)

test: browser
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(DOC)
	@rm -f "$(SKIPPED)"
	$(CARGO) test
	@if [ -s "$(SKIPPED)" ]; then \
	  echo "make: $$(wc -l < "$(SKIPPED)") test(s) skipped what this machine does not give (they passed without it):"; \
	  sort "$(SKIPPED)" | sed 's/^/  /'; \
	fi

# The tests that skipped what the machine does not give, one line each
# (tests/workdir.rs, `skipped`): Cargo's folder for test files.
SKIPPED = $${CARGO_TARGET_DIR:-target}/tmp/skipped.txt

# Every link in the code's doc comments resolves (a renamed item leaves
# none pointing at nothing); private items too, as the comments name them.
DOC = RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links -A rustdoc::private_intra_doc_links" $(CARGO) doc --no-deps --lib --document-private-items -q

# The browser tests (tests/test_browser.rs, tests/test_svg_as_png.rs) open the
# report and an SVG chart in headless Chromium, the SVG's text in DejaVu
# Sans found by fontconfig (fc-match). When one is missing, Debian's package
# is installed (as root, or with password-less sudo); where that is not
# possible the tests say so and pass. .ci/run installs them and sets
# KOMPASS_REQUIRE_BROWSER=1.
browser:
	@pkgs=; \
	if [ -z "$$KOMPASS_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then pkgs=" chromium"; fi; \
	command -v fc-match >/dev/null 2>&1 || pkgs="$$pkgs fontconfig"; \
	fc-match "DejaVu Sans" 2>/dev/null | grep -q '^DejaVuSans.ttf' || pkgs="$$pkgs fonts-dejavu-core"; \
	if [ -z "$$pkgs" ]; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make: no apt-get to install$$pkgs: the browser tests will be skipped"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "make: installing Debian's$$pkgs for the browser tests"; \
	  { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; } \
	    || echo "make:$$pkgs could not be installed: the browser tests will be skipped"; \
	fi

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(DOC)

# Benchmarks (benches/): the whole pipeline as a separate process on
# generated data sets (cached in target/bench-data), then the peer scripts
# (benches/peers: pandas, python-polars, DuckDB; they pip-install their
# package) on the same input, table and ratios printed and written to
# target/bench-data/bench.csv; then the in-process micro-benchmarks.
bench:
	$(CARGO) bench --bench pipeline
	$(CARGO) bench --bench micro

bench-quick:
	$(CARGO) bench --bench pipeline -- --sizes 1000,10000,100000
	$(CARGO) bench --bench micro

# An independent check of the figures (benches/peers/crosscheck.py): the
# national averages and same-scale trends of 10,000 generated evaluations
# (as `make bench` makes them) against the pandas peer script's; then a set
# with 5 % planted faults, the peer reading kompass's evaluations.csv; and
# the report's municipality list (benches/peers/report_list.py). The
# figures that go through a link (benches/peers/linkcheck.py: links, linked
# scores, every trend, the trend summary, year totals, linking errors) and
# every row of averages.csv (benches/peers/avgcheck.py; the sample with
# --basis all too), the links' quality columns and link_invariance.csv
# (benches/peers/qualitycheck.py), benchmarks.csv and role_models.csv
# (benches/peers/benchcheck.py) of both sets and of the shipped sample;
# the municipality pages' comparison and change tables of the second set
# and the sample (benches/peers/pagecheck.py); the index's national
# profiles and group table and the group pages of all three
# (benches/peers/indexcheck.py); the English pages against the Swedish ones
# (benches/peers/langcheck.py: the sample's, the first set's index and group
# pages); the links, averages and quality again with
# --link-method equipercentile (the first set; its links' bootstrap SEs
# by an independent bootstrap, benches/peers/equip_se.py) and identity
# (the sample); the jackknife SEs of the linear links of 6
# municipalities of data/sample/se-excel (benches/peers/jackcheck.py)
# and the linking errors of the summaries through them.
# Needs python3
# (the peers pip-install pandas, the checks scipy); `make test`
# does not.
CROSS = target/crosscheck
crosscheck: build
	[ -d $(CROSS)/data ] || ./target/release/kompass synth -n 10000 --seed 42 --countries SE,NO,DK --layout long -q -o $(CROSS)/data
	./target/release/kompass run -i $(CROSS)/data --register $(CROSS)/data/meta/register.csv --charts none --report summary -q -o $(CROSS)/kompass
	python3 benches/peers/pandas_peer.py $(CROSS)/data $(CROSS)/pandas
	python3 benches/peers/crosscheck.py $(CROSS)/kompass $(CROSS)/pandas
	python3 benches/peers/linkcheck.py $(CROSS)/kompass
	python3 benches/peers/qualitycheck.py $(CROSS)/kompass
	python3 benches/peers/avgcheck.py $(CROSS)/kompass $(CROSS)/data/meta/register.csv
	python3 benches/peers/benchcheck.py $(CROSS)/kompass $(CROSS)/data/meta/register.csv
	python3 benches/peers/indexcheck.py $(CROSS)/kompass
	[ -d $(CROSS)/faulty ] || ./target/release/kompass synth -n 10000 --seed 43 --countries SE,NO,DK --layout long --faults 0.05 -q -o $(CROSS)/faulty
	./target/release/kompass run -i $(CROSS)/faulty --register $(CROSS)/faulty/meta/register.csv --charts none -q -o $(CROSS)/kompass-faulty
	mkdir -p $(CROSS)/canonical && cp $(CROSS)/kompass-faulty/evaluations.csv $(CROSS)/canonical/
	python3 benches/peers/pandas_peer.py $(CROSS)/canonical $(CROSS)/pandas-faulty
	python3 benches/peers/crosscheck.py $(CROSS)/kompass-faulty $(CROSS)/pandas-faulty
	python3 benches/peers/linkcheck.py $(CROSS)/kompass-faulty
	python3 benches/peers/qualitycheck.py $(CROSS)/kompass-faulty
	python3 benches/peers/avgcheck.py $(CROSS)/kompass-faulty $(CROSS)/faulty/meta/register.csv
	python3 benches/peers/benchcheck.py $(CROSS)/kompass-faulty $(CROSS)/faulty/meta/register.csv
	python3 benches/peers/pagecheck.py $(CROSS)/kompass-faulty
	python3 benches/peers/indexcheck.py $(CROSS)/kompass-faulty
	./target/release/kompass run --config data/kompass.example.toml --charts none -q -o $(CROSS)/sample
	python3 benches/peers/linkcheck.py $(CROSS)/sample
	python3 benches/peers/qualitycheck.py $(CROSS)/sample
	python3 benches/peers/avgcheck.py $(CROSS)/sample data/reference
	python3 benches/peers/benchcheck.py $(CROSS)/sample data/reference
	python3 benches/peers/pagecheck.py $(CROSS)/sample
	python3 benches/peers/indexcheck.py $(CROSS)/sample
	./target/release/kompass run --config data/kompass.example.toml --charts none --report none --basis all -q -o $(CROSS)/sample-all
	python3 benches/peers/avgcheck.py $(CROSS)/sample-all data/reference
	./target/release/kompass run -i $(CROSS)/data --register $(CROSS)/data/meta/register.csv --charts none --report none --link-method equipercentile -q -o $(CROSS)/equip
	python3 benches/peers/linkcheck.py $(CROSS)/equip
	python3 benches/peers/equip_se.py $(CROSS)/equip
	python3 benches/peers/qualitycheck.py $(CROSS)/equip
	python3 benches/peers/avgcheck.py $(CROSS)/equip $(CROSS)/data/meta/register.csv
	./target/release/kompass run --config data/kompass.example.toml --charts none --lang en -q -o $(CROSS)/sample-en
	python3 benches/peers/langcheck.py $(CROSS)/sample $(CROSS)/sample-en
	./target/release/kompass run -i $(CROSS)/data --register $(CROSS)/data/meta/register.csv --charts none --report summary --lang en -q -o $(CROSS)/kompass-en
	python3 benches/peers/langcheck.py $(CROSS)/kompass $(CROSS)/kompass-en
	./target/release/kompass run --config data/kompass.example.toml --charts none --report none --link-method identity -q -o $(CROSS)/sample-identity
	python3 benches/peers/linkcheck.py $(CROSS)/sample-identity
	python3 benches/peers/qualitycheck.py $(CROSS)/sample-identity
	python3 benches/peers/report_list.py $(CROSS)/kompass
	./target/release/kompass run -i data/sample/se-excel --charts none --report none -q -o $(CROSS)/jackknife
	python3 benches/peers/jackcheck.py $(CROSS)/jackknife
	python3 benches/peers/linkcheck.py $(CROSS)/jackknife
	python3 benches/peers/avgcheck.py $(CROSS)/jackknife data/reference

# Regenerates the shipped synthetic sample (about 300 evaluations). The
# commands are also in the README; the output is deterministic. Each
# generation replaces the files the one before listed in its
# meta/truth.json, and nothing else.
sample: build
	./target/release/kompass synth -n 170 --seed 2011 --countries SE --layout long --dialect excel-sv --files 2 --avoid data/published/evaluations.csv --out data/sample/se-excel
	./target/release/kompass synth -n 80 --seed 2012 --countries NO --layout wide --out data/sample/no-wide
	./target/release/kompass synth -n 50 --seed 2013 --countries DK --layout long --faults 0.04 --out data/sample/dk-long

# The build only: the outputs in $(OUT) stay (the next run replaces them),
# and so does anything of yours beside them.
clean:
	$(CARGO) clean
