# SPDX-License-Identifier: GPL-2.0
#
# kbuddy build. `make` alone prints the help: every target and variable.
#
# Each build configuration (compiler, sanitizer, check level, mutant, kernel
# profile, optimisation) gets its own directory under $(O), so switching
# between them never mixes objects. Header dependencies come from -MMD -MP;
# a change of compiler flags rebuilds through the per-directory cflags file.

MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.SUFFIXES:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
SHELL := /bin/sh

comma := ,
empty :=
space := $(empty) $(empty)

# ---------------------------------------------------------------- variables

# A compiler given on the command line or in the environment wins.
ifneq ($(filter default undefined,$(origin CC)),)
CC := $(if $(shell command -v clang 2>/dev/null),clang,gcc)
endif
ifneq ($(filter default undefined,$(origin AR)),)
AR := ar
endif
SAN ?= address,undefined
CHECK_LEVEL ?= 2
BUG ?=
PROFILE ?= mainline
FUZZ_TIME ?= 60
FUZZ_TARGET ?= fuzz_ops
FUZZ_CI ?= 0
FUZZ_CC ?= clang
OPT ?= -O1
FUZZ_OPT ?= -O2
V ?= 0
O ?= build
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

CFLAGS = -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	 -Icore -Iops -Icheckers -Imachine -Iimport
LDLIBS = -lm

# --------------------------------------------------------------- validation

kb_alnum := a b c d e f g h i j k l m n o p q r s t u v w x y z \
	    A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
	    0 1 2 3 4 5 6 7 8 9 _ - .
kb_digits := 0 1 2 3 4 5 6 7 8 9
# What is left of $(1) once every character of the list $(2) is removed.
kb_strip = $(if $(2),$(call kb_strip,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
kb_bad_name = $(or $(filter-out 0 1,$(words $(1))),$(strip $(call kb_strip,$(1),$(kb_alnum))))

ifneq ($(words $(CHECK_LEVEL)) $(filter 0 1 2 3,$(CHECK_LEVEL)),1 $(CHECK_LEVEL))
$(error CHECK_LEVEL must be 0, 1, 2 or 3 (got '$(CHECK_LEVEL)'))
endif
ifneq ($(call kb_bad_name,$(BUG)),)
$(error BUG must be one mutant name of letters, digits, _ - . (got '$(BUG)'))
endif
# A mutant is a line of corpus/mutants/mutants.list: an unknown name would
# build (and fuzz) the correct allocator under a mutant's name.
KNOWN_MUTANTS := $(if $(wildcard corpus/mutants/mutants.list),$(shell awk \
	'!/^[ \t]*(\#|$$)/ { print $$1 }' corpus/mutants/mutants.list))
ifneq ($(BUG),)
ifeq ($(filter $(BUG),$(KNOWN_MUTANTS)),)
$(error BUG '$(BUG)' is not a mutant of corpus/mutants/mutants.list (make mutants lists them; docs/mutants.md))
endif
endif
ifneq ($(or $(call kb_bad_name,$(PROFILE)),$(if $(PROFILE),,empty)),)
$(error PROFILE must be one name of letters, digits, _ - . (got '$(PROFILE)'))
endif
# Profiles are the KB_PROFILE_<name> tests of core/profile.h, plus mainline.
KNOWN_PROFILES := mainline $(if $(wildcard core/profile.h),$(shell sed -n \
	's/.*defined(KB_PROFILE_\([A-Za-z0-9_]*\)).*/\1/p' core/profile.h))
ifeq ($(filter $(subst -,_,$(subst .,_,$(PROFILE))),$(KNOWN_PROFILES)),)
$(error PROFILE '$(PROFILE)' is not one of: $(subst _,.,$(KNOWN_PROFILES)))
endif
ifneq ($(or $(filter-out 1,$(words $(FUZZ_TIME))),$(strip $(call kb_strip,$(FUZZ_TIME),$(kb_digits)))),)
$(error FUZZ_TIME must be a whole number of seconds (got '$(FUZZ_TIME)'))
endif
ifneq ($(words $(FUZZ_CI)) $(filter 0 1,$(FUZZ_CI)),1 $(FUZZ_CI))
$(error FUZZ_CI must be 0 or 1 (got '$(FUZZ_CI)'))
endif
ifeq ($(strip $(SAN)),)
$(error SAN must name sanitizers (address,undefined) or be none)
endif
ifneq ($(words $(O)),1)
$(error O must be one directory name without spaces (got '$(O)'))
endif

# ------------------------------------------------------------ configuration

kb_macro = $(subst -,_,$(subst .,_,$(1)))
# Shell single-quoting, for writing flags into a file.
kb_sq = '$(subst ','\'',$(1))'
kb_cctag = $(subst /,_,$(subst =,_,$(notdir $(firstword $(filter-out ccache distcc,$(1))))))

SAN_TAG := $(subst $(comma),-,$(strip $(SAN)))
SAN_CFLAGS := $(if $(filter none,$(SAN)),,-fsanitize=$(strip $(SAN)) -fno-sanitize-recover=all)
BASE_DEFS := -DKB_CHECK_LEVEL=$(CHECK_LEVEL) -DKB_PROFILE_$(call kb_macro,$(PROFILE))=1
DEFS := $(BASE_DEFS)$(if $(BUG), -DKB_BUG_$(call kb_macro,$(BUG))=1 -DKB_BUG_NAME='"$(BUG)"')

# Directory name of a configuration: $(1) compiler tag, $(2) sanitizer tag,
# $(3) optimisation flags, $(4) their default (not named), $(5) the mutant.
kb_cfg = $(1)-$(2)-L$(CHECK_LEVEL)$(if $(5),-bug-$(5))$(if $(filter-out mainline,$(PROFILE)),-p$(PROFILE))$(if $(filter-out $(4),$(3)),$(subst $(space),,$(3)))

BUILD_DIR := $(O)/$(call kb_cfg,$(call kb_cctag,$(CC)),$(SAN_TAG),$(OPT),-O1,$(BUG))
FUZZ_DIR := $(O)/fuzz-$(call kb_cfg,$(call kb_cctag,$(FUZZ_CC)),$(SAN_TAG),$(FUZZ_OPT),-O2,$(BUG))
# The same configuration without the mutant: a BUG= build takes from it the
# objects of the library and tool sources that never test a KB_BUG macro.
BASE_DIR := $(O)/$(call kb_cfg,$(call kb_cctag,$(CC)),$(SAN_TAG),$(OPT),-O1,)
WARN_DIR := $(O)/warnings
FUZZ_WORK := $(O)/fuzz-work

ALL_CFLAGS = $(CFLAGS) $(DEFS) $(SAN_CFLAGS) $(EXTRA_CFLAGS)
# What ALL_CFLAGS is without BUG=, to the byte (the cflags files compare it).
BASE_CFLAGS = $(CFLAGS) $(BASE_DEFS) $(SAN_CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(SAN_CFLAGS) $(EXTRA_LDFLAGS)
# libFuzzer builds are optimised like the AFL++ ones (ci/afl_build.sh): at
# -O2 the allocator's per-page loops inline their helpers, a tenth of the
# execution time of fuzz_ops.
# UBSan in the fuzz builds checks what OSS-Fuzz's UBSan build checks:
# -fsanitize=undefined less alignment, pointer-overflow, nonnull-attribute
# and float-cast-overflow (about a tenth of fuzz_ops' time). The tests and
# make regress keep all of -fsanitize=undefined.
FUZZ_UBSAN_OFF = $(if $(filter undefined,$(subst $(comma), ,$(SAN))),-fno-sanitize=alignment$(comma)pointer-overflow$(comma)nonnull-attribute$(comma)float-cast-overflow)
FUZZ_BASE_CFLAGS = $(filter-out $(OPT),$(CFLAGS)) $(FUZZ_OPT) $(DEFS) -fsanitize=fuzzer-no-link$(if $(SAN_CFLAGS),$(comma)$(strip $(SAN)) -fno-sanitize-recover=all $(FUZZ_UBSAN_OFF)) $(EXTRA_CFLAGS)
FUZZ_CFLAGS = $(FUZZ_BASE_CFLAGS)
FUZZ_LDFLAGS = -fsanitize=fuzzer$(if $(SAN_CFLAGS),$(comma)$(strip $(SAN))) $(EXTRA_LDFLAGS)
# The checker is not what a fuzzer should explore: no coverage feedback
# from it, which also keeps the end-of-input sweep fast.
FUZZ_NOCOV_CFLAGS = $(filter-out $(OPT),$(CFLAGS)) $(FUZZ_OPT) $(DEFS) $(SAN_CFLAGS) $(FUZZ_UBSAN_OFF) $(EXTRA_CFLAGS)
# The checker only reads the allocator's state (validating every pointer
# before following it): in fuzz builds it runs without sanitizers at -O2,
# so the end-of-input sweep costs what it costs in the benchmark. The
# allocator, the runner and the harness keep ASan and UBSan.
FUZZ_CHECKER_CFLAGS = $(filter-out $(OPT),$(CFLAGS)) -O2 $(DEFS) $(EXTRA_CFLAGS)
# The allocator and the runner compare counters and pfns, not input bytes:
# comparison tracing there costs three quarters of fuzz_ops' time and
# guides nothing (every byte string is a valid input). The parsers and the
# harnesses keep it.
FUZZ_NOCMP_CFLAGS = $(FUZZ_BASE_CFLAGS) -fno-sanitize-coverage=trace-cmp
# The allocator's scans over every struct page of a block (core/page_scan.c)
# check their whole range once instead of ASan checking every field they
# read (fuzz_ops on the default layout: 14% more inputs a second). Like the
# runner's page loops (ops/user.c) they give no coverage: their counts only
# repeat the block's size.
FUZZ_PAGE_SCAN_CFLAGS = $(FUZZ_NOCOV_CFLAGS) $(if $(filter address,$(subst $(comma), ,$(SAN))),-fno-sanitize=address)
# Warnings pass: no sanitizer, -O2 so the optimiser-driven warnings show.
WARN_CFLAGS = $(filter-out $(OPT),$(CFLAGS)) -O2 $(DEFS) $(EXTRA_CFLAGS)

# ------------------------------------------------------------------ sources

LIB_SRCS := $(sort $(wildcard core/*.c machine/*.c import/*.c ops/*.c checkers/*.c))
TOOL_SRCS := $(sort $(wildcard tools/*.c))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
# Other tests/*.c files are shared by every test binary.
TEST_SUPPORT_SRCS := $(filter-out $(TEST_SRCS),$(sort $(wildcard tests/*.c)))
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
# Other fuzz/*.c files (the mutator) are linked into every fuzz binary;
# fuzz/afl_*.c are AFL++ plug-ins that ci/afl_build.sh builds on its own.
FUZZ_SUPPORT_SRCS := $(filter-out $(FUZZ_SRCS) fuzz/afl_%,$(sort $(wildcard fuzz/*.c)))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
WARN_SRCS := $(LIB_SRCS) $(TOOL_SRCS) $(TEST_SRCS) $(TEST_SUPPORT_SRCS)

LIB := $(BUILD_DIR)/libkbuddy.a
# A mutant build compiles with -DKB_BUG_<name> only the sources that name a
# KB_BUG macro (a dozen; all of them if a header does); the others are the
# correct build's objects, the same flags without the mutant, in BASE_DIR
# (built there if missing). make check builds every mutant's kbuddy.
ifneq ($(BUG),)
BUG_HDRS := $(shell grep -l 'KB_BUG' $(wildcard core/*.h machine/*.h ops/*.h checkers/*.h tools/*.h) /dev/null)
BUG_SRCS := $(if $(BUG_HDRS),$(LIB_SRCS) $(TOOL_SRCS),$(shell grep -l 'KB_BUG' $(LIB_SRCS) $(TOOL_SRCS) /dev/null))
endif
SHARED_SRCS := $(if $(BUG),$(filter-out $(BUG_SRCS),$(LIB_SRCS) $(TOOL_SRCS)))
kb_objs_of = $(foreach f,$(1),$(if $(filter $(f),$(SHARED_SRCS)),$(BASE_DIR),$(BUILD_DIR))/$(f:.c=.o))
LIB_OBJS := $(call kb_objs_of,$(LIB_SRCS))
KBUDDY := $(if $(TOOL_SRCS),$(BUILD_DIR)/kbuddy)
TOOL_OBJS := $(call kb_objs_of,$(TOOL_SRCS))
TEST_SUPPORT_OBJS := $(TEST_SUPPORT_SRCS:%.c=$(BUILD_DIR)/%.o)
TEST_BINS := $(TEST_SRCS:%.c=$(BUILD_DIR)/%)
BENCH_BINS := $(BENCH_SRCS:%.c=$(BUILD_DIR)/%)

FUZZ_LIB := $(FUZZ_DIR)/libkbuddy.a
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/%.o)
FUZZ_BINS := $(patsubst fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
FUZZ_SUPPORT_OBJS := $(FUZZ_SUPPORT_SRCS:%.c=$(FUZZ_DIR)/%.o)

WARN_OBJS := $(WARN_SRCS:%.c=$(WARN_DIR)/gcc/%.o) $(WARN_SRCS:%.c=$(WARN_DIR)/clang/%.o)

# ------------------------------------------------------------------- output

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

SETUP := bash ci/setup.sh
# What the ci/*.sh scripts are told about the build.
SCRIPT_ENV = CC='$(CC)' SAN='$(SAN)' CHECK_LEVEL='$(CHECK_LEVEL)' BUG='$(BUG)' \
	PROFILE='$(PROFILE)' O='$(O)' BUILD_DIR='$(BUILD_DIR)' \
	KBUDDY='$(abspath $(BUILD_DIR))/kbuddy' FUZZ_DIR='$(FUZZ_DIR)' \
	FUZZ_TIME='$(FUZZ_TIME)' MAKE='$(MAKE)'

# ------------------------------------------------------------ object rules

# $(1) object directory, $(2) name of the compiler variable, $(3) name of
# the flags variable (names, not values: flags hold commas). The cflags
# file changes only when the command does, and every object depends on it.
# make knows an object's headers by the path its dependency file names,
# and O may be spelled relative or absolute (ci/ scripts pass either): the
# .dep file names the object both ways (kb_dep_targets), or an object
# built under O=build would look header-free under O=$(CURDIR)/build and
# survive a header change, struct layout changes included. An object
# without a .dep file is rebuilt: the objects from before the .dep files,
# whose .d files name them one way only (not real/'s, which real.mk links).
kb_dep_targets = $(foreach t,$(sort $(abspath $(1)) $(patsubst $(CURDIR)/%,%,$(abspath $(1)))),-MT $(t))
define kb_objects
$(1)/%.o: %.c $(1)/cflags
	$$(call msg,$$(notdir $$(firstword $$($(2)))),$$<)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$($(2)) $$($(3)) -MMD -MP -MF $$(@:.o=.dep) $$(call kb_dep_targets,$$@) -c $$< -o $$@

$$(filter-out $(1)/real/% $$(patsubst %.dep,%.o,$$(wildcard $(1)/*/*.dep)),$$(wildcard $(1)/*/*.o)): FORCE

$(1)/cflags: FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' $$(call kb_sq,$$($(2)) $$($(3))) | cmp -s - $$@ || \
		printf '%s\n' $$(call kb_sq,$$($(2)) $$($(3))) > $$@
endef

WARN_GCC := gcc
WARN_CLANG := clang
$(eval $(call kb_objects,$(BUILD_DIR),CC,ALL_CFLAGS))
ifneq ($(SHARED_SRCS),)
$(eval $(call kb_objects,$(BASE_DIR),CC,BASE_CFLAGS))
-include $(wildcard $(BASE_DIR)/*/*.dep)
endif
$(eval $(call kb_objects,$(FUZZ_DIR),FUZZ_CC,FUZZ_CFLAGS))
# Per-object flags are private: a prerequisite would inherit them, and the
# directory's cflags file (the base flags) written from one object's flags
# would rebuild the whole directory when that object is made on its own.
$(FUZZ_DIR)/checkers/%.o: private FUZZ_CFLAGS = $(FUZZ_CHECKER_CFLAGS)
$(FUZZ_DIR)/core/%.o: private FUZZ_CFLAGS = $(FUZZ_NOCMP_CFLAGS)
# Reads zone state for the checker's oracles: built like the checker.
$(FUZZ_DIR)/core/wmark_input.o: private FUZZ_CFLAGS = $(FUZZ_CHECKER_CFLAGS)
$(FUZZ_DIR)/ops/run.o: private FUZZ_CFLAGS = $(FUZZ_NOCMP_CFLAGS)
# The runner's page-pattern loops: no coverage, one ASan range check per
# block instead of one per page (ops/user.c says why).
$(FUZZ_DIR)/ops/user.o: private FUZZ_CFLAGS = $(FUZZ_PAGE_SCAN_CFLAGS)
$(FUZZ_DIR)/core/page_scan.o: private FUZZ_CFLAGS = $(FUZZ_PAGE_SCAN_CFLAGS)
$(FUZZ_SUPPORT_OBJS): private FUZZ_CFLAGS = $(FUZZ_NOCOV_CFLAGS)
$(eval $(call kb_objects,$(WARN_DIR)/gcc,WARN_GCC,WARN_CFLAGS))
$(eval $(call kb_objects,$(WARN_DIR)/clang,WARN_CLANG,WARN_CFLAGS))

-include $(wildcard $(BUILD_DIR)/*/*.dep $(FUZZ_DIR)/*/*.dep $(WARN_DIR)/*/*/*.dep)

.PHONY: FORCE
FORCE:

# ------------------------------------------------------------ link rules

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BUILD_DIR)/kbuddy: $(TOOL_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(TOOL_OBJS) $(LIB) $(LDLIBS) -o $@

$(TEST_BINS): $(BUILD_DIR)/tests/%: $(BUILD_DIR)/tests/%.o $(TEST_SUPPORT_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $< $(TEST_SUPPORT_OBJS) $(LIB) $(LDLIBS) -o $@

$(BENCH_BINS): $(BUILD_DIR)/bench/%: $(BUILD_DIR)/bench/%.o $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(FUZZ_BINS): $(FUZZ_DIR)/%: $(FUZZ_DIR)/fuzz/%.o $(FUZZ_SUPPORT_OBJS) $(FUZZ_LIB)
	$(call msg,LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) $< $(FUZZ_SUPPORT_OBJS) $(FUZZ_LIB) $(LDLIBS) -o $@

# ------------------------------------------------------------------ targets

.PHONY: help setup all build lib kbuddy tests check test regress fuzz nightly \
	fuzz-build oss-fuzz-build coverage bench corpus corpus-min mutants mutation afl warnings clean builddir \
	_check _fuzz _bench _afl _warn_compilers

all: build

# The last-built kbuddy is also reachable as $(O)/kbuddy.
build: $(LIB) $(KBUDDY) $(TEST_BINS)
ifneq ($(KBUDDY),)
	$(Q)ln -sfn $(patsubst $(O)/%,%,$(BUILD_DIR))/kbuddy $(O)/kbuddy
endif

lib: $(LIB)

kbuddy: $(LIB) $(KBUDDY)
ifeq ($(KBUDDY),)
	@echo "kbuddy: no tools/*.c yet, nothing to link" >&2; exit 1
endif

tests: $(TEST_BINS)

setup:
	$(Q)$(SETUP)

builddir:
	@echo $(BUILD_DIR)

# check: setup, then a fresh make (so CC sees a just-installed clang). The
# warnings pass and the build are items of the test run: their failures
# are counted and shown by tests/run_tests.sh instead of stopping here.
# The test run's line starts with + so the makes its scripts start
# (ci/check_profiles.sh, ci/check_mutants.sh, ...) share the jobserver.
check:
	$(Q)$(SETUP)
	$(Q)$(MAKE) --no-print-directory _check

_check:
	@mkdir -p $(BUILD_DIR)
	@echo "check: make warnings (gcc and clang, -Werror) ..."
	@bash ci/with_progress.sh "make warnings" $(BUILD_DIR)/check-warnings.log \
		$(MAKE) --no-print-directory -k warnings; \
		echo $$? >$(BUILD_DIR)/check-warnings.status
	@echo "check: make build ($(notdir $(BUILD_DIR))) ..."
	@bash ci/with_progress.sh "make build" $(BUILD_DIR)/check-build.log \
		$(MAKE) --no-print-directory -k build; \
		echo $$? >$(BUILD_DIR)/check-build.status
	+@$(SCRIPT_ENV) bash tests/run_tests.sh -b $(BUILD_DIR) \
		-r "make warnings" $(BUILD_DIR)/check-warnings.status $(BUILD_DIR)/check-warnings.log \
		-r "make build" $(BUILD_DIR)/check-build.status $(BUILD_DIR)/check-build.log

test: build
	@bash tests/run_tests.sh -b $(BUILD_DIR) -s unit,scenario

# fuzz_boot regression tests replay through ci/check_regression.sh (the
# fuzz_boot path: the layout booted as the target boots it).
regress: $(LIB) $(KBUDDY)
	@status=0; bash tests/run_tests.sh -b $(BUILD_DIR) -s corpus || status=1; \
		KBUDDY='$(abspath $(BUILD_DIR))/kbuddy' bash ci/check_regression.sh || status=1; \
		exit $$status

warnings: $(WARN_OBJS)
	@echo "warnings: $(words $(WARN_SRCS)) sources clean under gcc and clang (-Wall -Wextra -Werror -O2)"

$(WARN_OBJS): | _warn_compilers
_warn_compilers:
	@command -v gcc >/dev/null && command -v clang >/dev/null || \
		{ echo "warnings: needs both gcc and clang (make setup installs clang)" >&2; exit 1; }

# $(O)/kbuddy then is the kbuddy of the build that fuzzes (a BUG= build's
# own), the one the summary, the README and triage tell the user to run.
fuzz-build: $(FUZZ_BINS) $(KBUDDY)
ifeq ($(FUZZ_BINS),)
	@echo "fuzz-build: no fuzz/fuzz_*.c targets yet" >&2; exit 1
endif
	@$(foreach f,$(wildcard $(patsubst $(FUZZ_DIR)/%,fuzz/%.options,$(FUZZ_BINS)) \
		$(patsubst $(FUZZ_DIR)/%,fuzz/%.dict,$(FUZZ_BINS))),cp $(f) $(FUZZ_DIR)/ &&) true
	$(Q)ln -sfn $(patsubst $(O)/%,%,$(BUILD_DIR))/kbuddy $(O)/kbuddy

# OSS-Fuzz and ClusterFuzzLite: .clusterfuzzlite/build.sh builds the fuzz
# targets through this with the flags the builder image sets (CC, and
# $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE as OSS_FUZZ_*), every file with
# the same flags (MemorySanitizer needs all code instrumented), objects in
# OSS_FUZZ_WORK (one directory per set of flags, so a rebuild compiles only
# what changed), binaries in OSS_FUZZ_OUT.
OSS_FUZZ_WORK ?=
OSS_FUZZ_OUT ?=
OSS_FUZZ_CXX ?= clang++
OSS_FUZZ_CFLAGS ?=
OSS_FUZZ_CXXFLAGS ?=
OSS_FUZZ_ENGINE ?= -fsanitize=fuzzer
OSS_FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(FUZZ_SRCS))
ifneq ($(OSS_FUZZ_WORK),)
OSS_FUZZ_OBJ_CFLAGS = -std=gnu11 -g -Icore -Iops -Icheckers -Imachine -Iimport $(DEFS) $(OSS_FUZZ_CFLAGS)
OSS_FUZZ_LIB_OBJS := $(patsubst %.c,$(OSS_FUZZ_WORK)/%.o,$(LIB_SRCS) $(FUZZ_SUPPORT_SRCS))
$(eval $(call kb_objects,$(OSS_FUZZ_WORK),CC,OSS_FUZZ_OBJ_CFLAGS))
-include $(wildcard $(OSS_FUZZ_WORK)/*/*.dep)

$(OSS_FUZZ_WORK)/libkbuddy.a: $(OSS_FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(OSS_FUZZ_TARGETS:%=$(OSS_FUZZ_OUT)/%): $(OSS_FUZZ_OUT)/%: $(OSS_FUZZ_WORK)/fuzz/%.o \
		$(OSS_FUZZ_WORK)/libkbuddy.a
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(OSS_FUZZ_CXX) $(OSS_FUZZ_CXXFLAGS) $< $(OSS_FUZZ_WORK)/libkbuddy.a \
		$(OSS_FUZZ_ENGINE) -lm -o $@
endif

oss-fuzz-build: $(if $(OSS_FUZZ_WORK),$(OSS_FUZZ_TARGETS:%=$(OSS_FUZZ_OUT)/%))
	@$(if $(and $(OSS_FUZZ_WORK),$(OSS_FUZZ_OUT)),true,echo "oss-fuzz-build: run .clusterfuzzlite/build.sh (it sets OSS_FUZZ_WORK and OSS_FUZZ_OUT)" >&2; exit 1)

fuzz:
	$(Q)$(SETUP)
	$(Q)$(MAKE) --no-print-directory _fuzz

_fuzz: fuzz-build
	@bash ci/fuzz_run.sh --target $(FUZZ_TARGET) --bin $(FUZZ_DIR)/$(FUZZ_TARGET) \
		--kbuddy $(BUILD_DIR)/kbuddy --time $(FUZZ_TIME) --work-root $(FUZZ_WORK) \
		$(if $(filter 1,$(FUZZ_CI)),--fail-on-crash)

# The uninstrumented benchmark programs, then the fuzz_ops binary itself at
# every check level (ci/bench_fuzz_levels.sh), then fuzzing as make fuzz
# runs it at levels 0 and 2 (ci/bench_fuzz_run.sh), then the workloads'
# level 2 against level 0 side by side (ci/bench_summary.sh). Outputs stay
# in $(O)/bench-results/.
BENCH_OUT := $(abspath $(O))/bench-results
bench: fuzz-build
	$(Q)mkdir -p $(BENCH_OUT)
ifeq ($(BENCH_SRCS),)
	@echo "bench: no bench/*.c programs yet, nothing to run"
else
	$(Q)$(MAKE) --no-print-directory _bench SAN=none OPT=-O2 BENCH_OUT='$(BENCH_OUT)'
endif
	$(Q)bash -o pipefail -c "bash ci/bench_fuzz_levels.sh $(FUZZ_DIR)/fuzz_ops | tee $(BENCH_OUT)/fuzz_levels.txt"
	$(Q)bash -o pipefail -c "bash ci/bench_fuzz_run.sh $(FUZZ_DIR)/fuzz_ops | tee $(BENCH_OUT)/fuzz_run.txt"
	$(Q)bash ci/bench_summary.sh $(BENCH_OUT)/bench_fuzz_ops.txt $(BENCH_OUT)/fuzz_levels.txt \
		$(BENCH_OUT)/fuzz_run.txt

_bench: $(BENCH_BINS)
	@set -e; for b in $(BENCH_BINS); do echo "== $$b"; \
		bash -o pipefail -c "$$b | tee $(BENCH_OUT)/$$(basename $$b).txt"; done

# Scripts owned by their own parts of the tree; each is optional.
kb_run_script = if [ -f $(1) ]; then $(SCRIPT_ENV) bash $(1); \
	else echo "$(2): $(1) is not there yet, nothing to do"; fi

corpus: $(LIB) $(KBUDDY)
	@$(call kb_run_script,ci/make_corpus.sh,corpus)

# Minimal shipped corpora: libFuzzer -merge=1 of each corpus/<target>.
corpus-min: fuzz-build
	@$(SCRIPT_ENV) bash ci/minimize_corpus.sh

mutants: setup
	@$(call kb_run_script,ci/mutants.sh,mutants)

# Source-based line coverage of the corpora and the tests (ci/coverage.sh):
# $(O)/coverage/html/ and summary.txt. FUZZ_TIME, when given on the command
# line, adds that many seconds of libFuzzer per target first.
coverage: setup
	@$(SCRIPT_ENV) bash ci/coverage.sh $(if $(filter command line,$(origin FUZZ_TIME)),--time $(FUZZ_TIME))

# Mutation score of core/ (ci/mutation.py): rule-generated mutants, each
# built with SAN=none in $(O)/mutation/, replayed on the regression inputs,
# fuzzed MUTATION_TIME seconds and given the unit tests. MUTATION_SAMPLE=N
# runs a seeded sample (MUTATION_SEED); a rerun resumes.
mutation: setup
	@O='$(O)' nice -n 10 python3 ci/mutation.py

# AFL++ builds, and the kbuddy of the same configuration (a BUG= build's
# own) as $(O)/kbuddy: the one ci/afl_run.sh's triage command names.
afl: setup
	$(Q)$(MAKE) --no-print-directory _afl

_afl: $(LIB) $(KBUDDY)
	@$(call kb_run_script,ci/afl_build.sh,afl)
ifneq ($(KBUDDY),)
	$(Q)ln -sfn $(patsubst $(O)/%,%,$(BUILD_DIR))/kbuddy $(O)/kbuddy
endif

# The nightly job: every target with libFuzzer and AFL++ for NIGHTLY_TIME
# seconds in all, corpus merge, triage, coverage, and
# build/nightly/<time>/report.html (plots by gnuplot).
NIGHTLY_TIME ?= 3600
nightly:
	$(Q)$(SETUP)
	@$(SCRIPT_ENV) bash ci/nightly.sh --time $(NIGHTLY_TIME)

clean:
	rm -rf $(O)

# The real kernel's allocator beside kbuddy (make real): real/real.mk.
include real/real.mk

# --------------------------------------------------------------------- help

kb_now = $(if $(filter-out $(1),$(2)),   [now: $(2)])

help:
	@printf '%s\n' \
	'kbuddy: the Linux zoned buddy allocator in userspace, with checker and fuzzers.' \
	'' \
	'Targets:' \
	'  help        this text (the default goal)' \
	'  setup       install missing tools with apt-get (ci/setup.sh)' \
	'  build, all  library, kbuddy tool and test binaries into $$(O)/<configuration>/' \
	'  lib         the static library only' \
	'  kbuddy      the kbuddy tool only (also linked as $$(O)/kbuddy by build)' \
	'  tests       the test binaries only' \
	'  check       setup + warnings + build + every test, scenario, corpus file' \
	'              and ci/check_*.sh; ends with "N passed, N failed"; the other' \
	'              profiles build and run their tests and scenarios (ci/check_profiles.sh)' \
	'  test        build, then unit tests and scenarios only' \
	'  regress     build, then replay corpus/fuzz_ops and corpus/regression/*.bin,' \
	'              and corpus/regression/fuzz_boot/*.bin (ci/check_regression.sh)' \
	'  fuzz        setup + fuzz-build + a FUZZ_TIME-second libFuzzer run of' \
	'              FUZZ_TARGET on a copy of its corpus (a progress line every' \
	'              10 s), then a summary; FUZZ_CI=1 fails on a crash' \
	'  fuzz-build  libFuzzer binaries (fuzz/fuzz_*.c) and kbuddy for repro' \
	'  oss-fuzz-build  the fuzz targets with OSS-Fuzz flags (run by' \
	'              .clusterfuzzlite/build.sh, which sets OSS_FUZZ_*)' \
	'  bench       build bench/*.c with SAN=none OPT=-O2 and run them' \
	'  corpus      run ci/make_corpus.sh (seed corpus from text forms)' \
	'  corpus-min  minimise every corpus/<target> with libFuzzer -merge=1' \
	'              (ci/minimize_corpus.sh)' \
	'  mutants     run ci/mutants.sh (the shipped KB_BUG mutants, fuzzed)' \
	'  coverage    line coverage of the corpora and tests (llvm-cov): HTML and' \
	'              a per-file table in $$(O)/coverage/; FUZZ_TIME=S fuzzes first' \
	'  mutation    run ci/mutation.py: mutants of core/*.c by rule, killed by the' \
	'              regression inputs, MUTATION_TIME (30) s of fuzzing and the unit' \
	'              tests; MUTATION_SAMPLE=N (seeded by MUTATION_SEED) for a sample' \
	'  nightly     ci/nightly.sh --time NIGHTLY_TIME (3600): every target, libFuzzer and AFL++, report' \
	'  afl         run ci/afl_build.sh (AFL++ builds) and build kbuddy alike' \
	'              ($$(O)/kbuddy: a BUG= build'"'"'s own, for ci/afl_run.sh'"'"'s triage)' \
	'  real        build Linux 6.12'"'"'s own mm/page_alloc.c from linux-source-6.12' \
	'              (real/, PROFILE=6.12) and compare it with kbuddy (real/check_real.sh)' \
	'  real-build  that build only; real-prepare: only extract and cut the source' \
	'  warnings    compile every library, tool and test source with gcc and clang,' \
	'              no sanitizer, -Wall -Wextra -Werror -O2, into $$(O)/warnings' \
	'  builddir    print the build directory of the current configuration' \
	'  clean       remove $$(O) (every configuration and the fuzz work dirs)' \
	'  _check _fuzz _bench _afl _warn_compilers  internal steps of check,' \
	'              fuzz, bench, afl and warnings' \
	'' \
	'Variables (name=value on the command line):' \
	'  CC=clang            compiler; default clang if installed, else gcc$(call kb_now,clang,$(CC))' \
	'  SAN=address,undefined  -fsanitize list; none = no sanitizer$(call kb_now,address$(comma)undefined,$(SAN))' \
	'  CHECK_LEVEL=2       checker level 0..3 (-DKB_CHECK_LEVEL=N)$(call kb_now,2,$(CHECK_LEVEL))' \
	'  BUG=                mutant name (-DKB_BUG_<name>=1 -DKB_BUG_NAME="<name>")$(call kb_now,,$(BUG))' \
	'  PROFILE=mainline    kernel version profile (-DKB_PROFILE_<name>=1, - and . as _)$(call kb_now,mainline,$(PROFILE))' \
	'  FUZZ_TIME=60        seconds of fuzzing for make fuzz (0 = replay the corpus once)$(call kb_now,60,$(FUZZ_TIME))' \
	'  FUZZ_TARGET=fuzz_ops  libFuzzer target run by make fuzz$(call kb_now,fuzz_ops,$(FUZZ_TARGET))' \
	'  FUZZ_CI=0           1: make fuzz exits 3 when it finds a crash or violation$(call kb_now,0,$(FUZZ_CI))' \
	'  FUZZ_CC=clang       compiler of the libFuzzer builds$(call kb_now,clang,$(FUZZ_CC))' \
	'  OPT=-O1             optimisation level (bench uses -O2)$(call kb_now,-O1,$(OPT))' \
	'  FUZZ_OPT=-O2        optimisation level of the libFuzzer builds$(call kb_now,-O2,$(FUZZ_OPT))' \
	'  O=build             build root$(call kb_now,build,$(O))' \
	'  V=0                 V=1 shows every command$(call kb_now,0,$(V))' \
	'  EXTRA_CFLAGS=       added to every compile$(call kb_now,,$(EXTRA_CFLAGS))' \
	'  EXTRA_LDFLAGS=      added to every link$(call kb_now,,$(EXTRA_LDFLAGS))' \
	'  AR=ar               archiver$(call kb_now,ar,$(AR))' \
	'  KERNEL_PATCH=       make real: a patch applied to the extracted 6.12 source$(call kb_now,,$(KERNEL_PATCH))' \
	'  REAL_TARBALL=/usr/src/linux-source-6.12.tar.xz  make real: the kernel source$(call kb_now,/usr/src/linux-source-6.12.tar.xz,$(REAL_TARBALL))' \
	'' \
	'Build directory now: $(BUILD_DIR)' \
	'Fuzz build directory now: $(FUZZ_DIR)'
