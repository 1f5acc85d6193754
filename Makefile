# ronghe — plain Makefile. `make run` and `make test` are the two commands a new user needs.

# A bare `make` builds the binary (the archives' rules below come first in the file).
.DEFAULT_GOAL := all

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium icu-uc icu-i18n libzip expat xlsxwriter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
           -Wno-unused-parameter -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

BASE    := src/base/err.c src/base/arena.c src/base/log.c src/base/text.c src/base/jbuf.c src/base/idcard.c src/base/civil.c
# Spreadsheets in and out (XLSX, CSV, typed dates), knowing nothing of collections: the
# readers the importer uses now and the supervision models' data loading will later.
SHEET   := $(sort $(wildcard src/sheet/*.c))
# The evaluation's own languages and arithmetic (formulas, scheme files, rank statistics,
# near-duplicate text), knowing nothing of collections or the store.
CALC    := $(sort $(wildcard src/calc/*.c))
STORE   := src/store/store_sqlite.c src/store/store_queries.c src/store/files.c build/gen/schema.c build/gen/migrations.c
AUTH    := src/auth/authz.c src/auth/audit.c src/auth/password.c src/auth/session.c src/auth/throttle.c \
           build/gen/common_passwords.c
RESOURCE := src/domain/resource/field.c src/domain/resource/encode.c src/domain/resource/list.c \
           src/domain/resource/read.c src/domain/resource/validate.c src/domain/resource/scope.c \
           src/domain/resource/write.c src/domain/resource/cascade.c src/domain/resource/action.c
DOMAIN  := $(RESOURCE) \
           src/domain/org.c \
           src/domain/member.c \
           src/domain/brand.c \
           src/domain/item.c \
           src/domain/joint.c \
           src/domain/timeline.c \
           src/domain/pil.c \
           src/domain/user.c \
           src/domain/registry.c \
           src/domain/meta.c \
           src/domain/stats.c \
           src/domain/audit_log.c \
           src/domain/partylife.c \
           src/domain/cases.c \
           src/domain/filetype.c \
           src/domain/attachment.c \
           src/domain/workdays.c \
           src/domain/service.c \
           src/domain/import.c \
           src/domain/import_columns.c \
           src/domain/import_refs.c \
           src/domain/template.c \
           src/domain/export.c \
           src/domain/measures.c src/domain/measures_people.c src/domain/measures_terms.c \
           src/domain/evaluation.c \
           src/domain/eval_scheme.c \
           src/domain/eval_run.c \
           src/domain/eval_read.c src/domain/eval_export.c \
           src/domain/eval_manual.c \
           src/domain/eval_signals.c \
           src/domain/eval_signals_api.c
JOBS    := src/jobs/jobs.c src/jobs/backup.c src/jobs/import_job.c src/jobs/export_job.c src/jobs/eval_job.c
DEMO    := src/demo/demo.c \
           src/demo/demo_data.c \
           src/demo/demo_joint.c \
           src/demo/profile.c \
           src/demo/demo_partylife.c \
           src/demo/demo_cases.c \
           src/demo/demo_pil.c \
           src/demo/demo_attachments.c \
           src/demo/demo_service.c \
           src/demo/demo_eval.c \
           src/demo/demo_signals.c \
           build/gen/default_scheme.c build/gen/member_scheme.c
HTTP    := src/http/server.c src/http/api.c src/http/respond.c src/http/cache.c src/http/proxy.c src/http/routes.c src/http/assets.c build/gen/web_assets.c
LIB_SRC := $(BASE) $(SHEET) $(CALC) $(STORE) $(AUTH) $(DOMAIN) $(JOBS) $(DEMO) $(HTTP)
HEADERS := $(wildcard src/*/*.h src/*/*/*.h)

# One static archive per layer, linked from the top down and base last: the linker
# reads each archive once, so a call from a lower layer to a higher one (base calling
# store, domain calling jobs) is left undefined and the link fails. http and demo, the
# layers only the command line uses, stay objects ahead of the archives.
obj      = $(patsubst %.c,build/obj/%.o,$(1))
LAYERS  := jobs domain auth store calc sheet base
LAYER_LIBS := $(patsubst %,build/lib/lib%.a,$(LAYERS))
APP_OBJ := $(call obj,$(HTTP) $(DEMO))
LIB_OBJ := $(APP_OBJ) $(LAYER_LIBS)

build/lib/libbase.a: $(call obj,$(BASE))
build/lib/libstore.a: $(call obj,$(STORE))
build/lib/libsheet.a: $(call obj,$(SHEET))
build/lib/libcalc.a: $(call obj,$(CALC))
build/lib/libauth.a: $(call obj,$(AUTH))
build/lib/libdomain.a: $(call obj,$(DOMAIN))
build/lib/libjobs.a: $(call obj,$(JOBS))
build/lib/%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
# The link alone lets an upward call into an object pulled in anyway resolve: this does not.
build/lib/layers.ok: $(LAYER_LIBS) tools/check-layers.sh
	tools/check-layers.sh $(LAYER_LIBS) && touch $@

UNIT_SRC := $(wildcard tests/unit/*/*.c tests/unit/*/*/*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))

WEB_SRC  := $(shell find web/src web/index.html web/progress.html web/package.json web/vite.config.* -type f 2>/dev/null)

PORT     ?= 8080
DEMO_DB  ?= ronghe-demo.db

.PHONY: all deps run test unit api e2e clean format bench web test-asan fuzz fuzz-smoke fuzz-merge fuzz-coverage

all: ronghe

deps:
	@./scripts/deps.sh

CLI     := src/cli/main.c src/cli/eval_cmd.c
ronghe: $(call obj,$(CLI)) $(LIB_OBJ) build/lib/layers.ok
	$(CC) $(CFLAGS) -o $@ $(filter-out build/lib/layers.ok,$^) $(LDLIBS)

build/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c17 -Wall -Wextra -Werror -o $@ $<

build/gen/schema.c: src/store/schema.sql build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --string ronghe_schema_sql $< > $@.tmp && mv $@.tmp $@

build/gen/default_scheme.c: docs/schemes/default.scheme build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --string ronghe_default_scheme $< > $@.tmp && mv $@.tmp $@

build/gen/member_scheme.c: docs/schemes/member.scheme build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --string ronghe_member_scheme $< > $@.tmp && mv $@.tmp $@

build/gen/common_passwords.c: src/auth/common-passwords.txt build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --string ronghe_common_passwords $< > $@.tmp && mv $@.tmp $@

MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
build/gen/migrations.c: $(MIGRATIONS) src/store/migrations build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --table migration ronghe_migrations src/store/migrations $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

# The web interface: npm ci + vite build, then embedded into the binary.
web/dist/index.html: $(WEB_SRC) web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build
	@touch $@

web: web/dist/index.html

# Precompressed beside the originals (brotli, zopfli's gzip), all embedded: assets.c picks one.
build/web/index.html: web/dist/index.html scripts/compress-assets.sh
	./scripts/compress-assets.sh web/dist build/web

build/gen/web_assets.c: build/web/index.html build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed --assets ronghe_web_assets build/web $$(find build/web -type f | sort) > $@.tmp && mv $@.tmp $@

# ---- tests

build/tests/%: tests/unit/%.c $(LIB_OBJ) $(wildcard tests/unit/*/*.h tests/unit/*/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

tests/node_modules/.package-lock.json: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error

api: ronghe tests/node_modules/.package-lock.json
	./tests/run-node.sh api

e2e: ronghe tests/node_modules/.package-lock.json
	./tests/run-node.sh e2e

test: deps
	$(MAKE) ronghe
	$(MAKE) unit
	$(MAKE) api
	$(MAKE) e2e
	$(MAKE) fuzz-smoke

# The API tests against an ASan + UBSan build (any report fails the run). Not part of
# `make test` (it takes a few minutes); run it after changing C code.
build/asan/ronghe: $(LIB_SRC) $(CLI) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	  $(filter-out -O2,$(CFLAGS)) -o $@ $(LIB_SRC) $(CLI) $(LDLIBS)

test-asan: build/asan/ronghe tests/node_modules/.package-lock.json
	rm -f build/asan/report.*
	RONGHE_BIN=$(CURDIR)/build/asan/ronghe ASAN_OPTIONS=log_path=$(CURDIR)/build/asan/report \
	  UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build/asan/report ./tests/run-node.sh api
	@if ls build/asan/report.* >/dev/null 2>&1; then cat build/asan/report.*; exit 1; fi

# ---- fuzzing: libFuzzer targets (tests/fuzz/, docs/fuzzing.md), built with clang apart from
# the normal build (build/fuzz/). `make fuzz` runs each for FUZZ_SECONDS and keeps what
# it learns in build/fuzz/corpus/<target>; `make fuzz-smoke` (part of `make test`) runs
# each over its committed corpus and FUZZ_SMOKE_SECONDS beyond it. A crash, sanitizer
# report, leak, CHECK/BUG or die() fails the run and leaves the input in build/fuzz/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_TARGETS := http body query text json session audit filetype csv xlsx date similar expr
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(filter-out -O2 -g,$(CFLAGS))
FUZZ_OBJ     := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC) tests/fuzz/fuzz.c)
FUZZ_BIN     := $(addprefix build/fuzz/,$(FUZZ_TARGETS))
# The longest input each target is given (an HTTP exchange is longer than a token).
FUZZ_ML       = case $$t in http|xlsx) ml=16384;; body|json|audit|expr) ml=8192;; session) ml=256;; *) ml=4096;; esac
FUZZ_RUN      = $(FUZZ_ML); ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
                build/fuzz/$$t -timeout=60 -rss_limit_mb=4096 -max_len=$$ml \
                -artifact_prefix=build/fuzz/$$t- $$(test -f tests/fuzz/$$t.dict && echo -dict=tests/fuzz/$$t.dict)

build/fuzz/obj/%.o: %.c $(HEADERS) tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

.SECONDARY: $(FUZZ_OBJ)
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

fuzz: $(FUZZ_BIN)
	@set -e; for t in $(FUZZ_TARGETS); do mkdir -p build/fuzz/corpus/$$t; echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  $(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build/fuzz/corpus/$$t tests/fuzz/$$t/corpus; done

fuzz-smoke: $(FUZZ_BIN)
	@set -e; for t in $(FUZZ_TARGETS); do rm -rf build/fuzz/smoke/$$t; mkdir -p build/fuzz/smoke/$$t; \
	  echo "== fuzz-smoke $$t"; $(FUZZ_RUN) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
	  build/fuzz/smoke/$$t tests/fuzz/$$t/corpus 2>build/fuzz/smoke/$$t.log || { tail -60 build/fuzz/smoke/$$t.log; exit 1; }; \
	  grep -h '^#.*DONE' build/fuzz/smoke/$$t.log || true; done

# Fold what a campaign (tests/fuzz/campaign.sh, or make fuzz) learnt into the committed
# corpora: only inputs that add coverage are copied (libFuzzer -merge=1).
fuzz-merge: $(FUZZ_BIN)
	@set -e; for t in $(FUZZ_TARGETS); do [ -d build/fuzz/corpus/$$t ] || continue; $(FUZZ_ML); \
	  build/fuzz/$$t -merge=1 -max_len=$$ml tests/fuzz/$$t/corpus build/fuzz/corpus/$$t 2>build/fuzz/$$t-merge.log; \
	  echo "$$t: $$(ls tests/fuzz/$$t/corpus | wc -l) inputs, $$(du -sk tests/fuzz/$$t/corpus | cut -f1) KiB"; done

# What the committed corpora reach: each target rebuilt with clang's source coverage, run
# over its corpus, and llvm-cov's per-file report of src/ (build/fuzz/cov/<target>.txt,
# and all.txt for all targets together).
FUZZ_COV_OBJ := $(patsubst %.c,build/fuzz/covobj/%.o,$(LIB_SRC) tests/fuzz/fuzz.c)
FUZZ_COV_FLAGS := -O1 -g -fprofile-instr-generate -fcoverage-mapping $(filter-out -O2 -g,$(CFLAGS))

build/fuzz/covobj/%.o: %.c $(HEADERS) tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COV_FLAGS) -c -o $@ $<

.SECONDARY: $(FUZZ_COV_OBJ)
build/fuzz/cov/%: tests/fuzz/%.c $(FUZZ_COV_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COV_FLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_COV_OBJ) $(LDLIBS)

fuzz-coverage: $(addprefix build/fuzz/cov/,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do rm -f build/fuzz/cov/$$t.profraw; $(FUZZ_ML); \
	  LLVM_PROFILE_FILE=build/fuzz/cov/$$t.profraw build/fuzz/cov/$$t -runs=0 -max_len=$$ml tests/fuzz/$$t/corpus \
	    >build/fuzz/cov/$$t.log 2>&1; \
	  llvm-profdata merge -sparse -o build/fuzz/cov/$$t.profdata build/fuzz/cov/$$t.profraw; \
	  llvm-cov report build/fuzz/cov/$$t -instr-profile=build/fuzz/cov/$$t.profdata $(LIB_SRC) >build/fuzz/cov/$$t.txt; \
	  echo "$$t: $$(tail -1 build/fuzz/cov/$$t.txt | awk '{print "regions " $$4 ", functions " $$7 ", lines " $$10}')"; done; \
	llvm-profdata merge -sparse -o build/fuzz/cov/all.profdata $(patsubst %,build/fuzz/cov/%.profdata,$(FUZZ_TARGETS)); \
	llvm-cov report build/fuzz/cov/http -instr-profile=build/fuzz/cov/all.profdata $(LIB_SRC) >build/fuzz/cov/all.txt; \
	echo "all targets: $$(tail -1 build/fuzz/cov/all.txt | awk '{print "regions " $$4 ", functions " $$7 ", lines " $$10}')"

# ---- run the demo

run: deps
	$(MAKE) ronghe
	@if [ ! -f $(DEMO_DB) ]; then \
	  ./ronghe demo --db $(DEMO_DB) --password-file $(DEMO_DB).password >/dev/null; fi
	@echo ""
	@echo "  通辽演示：http://127.0.0.1:$(PORT)/"
	@echo "  演示账号：admin（市院政治部，管理两级院）  viewer（市院领导，只读）"
	@echo "            zlt-admin（扎鲁特旗院管理员）    hlgl-sec（霍林郭勒市院支部书记）"
	@echo "  密码：    $$(cat $(DEMO_DB).password 2>/dev/null || echo '见首次创建时的输出')"
	@echo ""
	./ronghe serve --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

bench: ronghe
	./bench/api

format:
	clang-format -i $$(find src tests/unit tools -name '*.[ch]')

clean:
	rm -rf build ronghe
