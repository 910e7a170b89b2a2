# SPDX-License-Identifier: GPL-2.0
#
# The real kernel's allocator (Linux 6.12's mm/page_alloc.c and friends)
# built in userspace beside kbuddy. Included by the top Makefile.
#
#   make real                        build it and run the comparisons
#   make real KERNEL_PATCH=my.patch  the same on the patched source
#   make real-build                  build only
#   make real-tool                   the path of the built kbuddy-real
#
# The source comes from the Debian package linux-source-6.12
# (REAL_TARBALL); real/prepare.py takes out the files real/sources.list
# names, checks the version and writes the tree under $(REAL_SRC).

REAL_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
KERNEL_PATCH ?=
# MAX_PAGE_ORDER:pageblock_order of every geometry kbuddy's built-in
# layouts use (compile-time constants in the kernel: one build each).
REAL_GEOMETRIES ?= 10:9 7:5

kb_real_geom_tag = o$(word 1,$(subst :, ,$(1)))p$(word 2,$(subst :, ,$(1)))
REAL_GEOM_TAGS := $(foreach g,$(REAL_GEOMETRIES),$(call kb_real_geom_tag,$(g)))

ifneq ($(KERNEL_PATCH),)
ifeq ($(wildcard $(KERNEL_PATCH)),)
$(error KERNEL_PATCH '$(KERNEL_PATCH)' does not exist)
endif
REAL_PATCH_TAG := -patch-$(firstword $(shell sha1sum $(KERNEL_PATCH) | cut -c1-12))
endif
REAL_SRC := $(O)/real/src$(REAL_PATCH_TAG)
REAL_DIR := $(BUILD_DIR)/real$(REAL_PATCH_TAG)
REAL_SHIM := real/shim/include

# The kernel's files, compiled with the kernel's own code-generation
# choices (no strict aliasing, wrapping signed overflow) and its warnings
# minus those its own build turns off.
REAL_KERNEL_CFLAGS = -std=gnu11 $(OPT) -g -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-strict-overflow -fno-common -fvisibility=hidden \
	-Wall -Werror -Wno-unused-function -Wno-unused-but-set-variable \
	-Wno-unused-variable -Wno-address-of-packed-member \
	$(SAN_CFLAGS) $(EXTRA_CFLAGS)
# The shim and the driver: the project's warnings.
REAL_OWN_CFLAGS = -std=gnu11 $(OPT) -g -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-strict-overflow -fno-common -fvisibility=hidden \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	$(SAN_CFLAGS) $(EXTRA_CFLAGS)
kb_real_includes = -DKSHIM_MAX_PAGE_ORDER=$(word 1,$(subst :, ,$(1))) \
	-DKSHIM_PAGEBLOCK_ORDER=$(word 2,$(subst :, ,$(1))) \
	-DREAL_GEOMETRY=$(call kb_real_geom_tag,$(1)) \
	-include $(REAL_SHIM)/kshim/config.h -I$(REAL_SHIM) -Ireal/driver \
	-isystem $(REAL_SRC)/stubinc -isystem $(REAL_SRC)/inc -iquote $(REAL_SRC)/src

# Compiled from the prepared tree as they are (mm_init.c, khugepaged.c and
# vmstat.c come in through real/driver/*_hooks.c, which include them and
# are compiled like them).
REAL_KERNEL_SRCS := page_alloc.c page_isolation.c mmzone.c memblock.c
REAL_SHIM_SRCS := $(sort $(wildcard real/shim/lib/*.c))
REAL_DRIVER_SRCS := $(sort $(wildcard real/driver/*.c))
REAL_PREPARED := $(REAL_SRC)/prepared
REAL_PREPARE_DEPS := real/prepare.py real/extract.py real/sources.list \
	$(wildcard real/names/*) $(KERNEL_PATCH)

$(REAL_PREPARED): $(REAL_PREPARE_DEPS)
	$(call msg,PREPARE,$(REAL_SRC))
	$(Q)python3 real/prepare.py --tarball $(REAL_TARBALL) --out $(REAL_SRC) \
		$(if $(KERNEL_PATCH),--patch $(KERNEL_PATCH))
	$(Q)touch $@

# $(1) geometry N:M. Objects of the kernel's files, the shim and the
# driver; one relocatable object whose only global is real_ops_<geometry>.
define kb_real_geometry
REAL_OBJS_$(call kb_real_geom_tag,$(1)) := \
	$(REAL_KERNEL_SRCS:%.c=$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/kernel/%.o) \
	$(REAL_SHIM_SRCS:real/shim/lib/%.c=$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/shim/%.o) \
	$(REAL_DRIVER_SRCS:real/driver/%.c=$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/driver/%.o)

$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/kernel/%.o: $(REAL_PREPARED)
	$$(call msg,CC,$$(REAL_SRC)/src/$$*.c [$(call kb_real_geom_tag,$(1))])
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(REAL_KERNEL_CFLAGS) $(call kb_real_includes,$(1)) -MMD -MP \
		-c $$(REAL_SRC)/src/$$*.c -o $$@

$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/shim/%.o: real/shim/lib/%.c $(REAL_PREPARED)
	$$(call msg,CC,$$< [$(call kb_real_geom_tag,$(1))])
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(REAL_OWN_CFLAGS) $(call kb_real_includes,$(1)) -MMD -MP -c $$< -o $$@

$(REAL_DIR)/$(call kb_real_geom_tag,$(1))/driver/%.o: real/driver/%.c $(REAL_PREPARED)
	$$(call msg,CC,$$< [$(call kb_real_geom_tag,$(1))])
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(if $$(filter %_hooks.c,$$<),$$(REAL_KERNEL_CFLAGS),$$(REAL_OWN_CFLAGS)) \
		$(call kb_real_includes,$(1)) -MMD -MP -c $$< -o $$@

$(REAL_DIR)/real-$(call kb_real_geom_tag,$(1)).o: $$(REAL_OBJS_$(call kb_real_geom_tag,$(1)))
	$$(call msg,LD,$$@)
	$$(Q)ld -r -o $$@.tmp $$^
	$$(Q)objcopy --localize-hidden $$@.tmp $$@
	$$(Q)rm -f $$@.tmp
endef
$(foreach g,$(REAL_GEOMETRIES),$(eval $(call kb_real_geometry,$(g))))

REAL_GEOM_OBJS := $(REAL_GEOM_TAGS:%=$(REAL_DIR)/real-%.o)
-include $(wildcard $(REAL_DIR)/*/*/*.d)

# The kbuddy side: the list of builds, the layout glue and the tools.
$(REAL_DIR)/builds.c: real/real.mk
	@mkdir -p $(@D)
	@{ echo '/* generated by real/real.mk: the geometries of this build */'; \
	   echo '#include "real_api.h"'; \
	   for g in $(REAL_GEOM_TAGS); do echo "extern const struct real_ops real_ops_$$g;"; done; \
	   printf 'const struct real_ops *const real_builds[] = {'; \
	   for g in $(REAL_GEOM_TAGS); do printf ' &real_ops_%s,' $$g; done; \
	   echo ' 0 };'; } > $@

REAL_GLUE_SRCS := $(sort $(wildcard real/glue/*.c))
REAL_GLUE_OBJS := $(REAL_GLUE_SRCS:real/glue/%.c=$(REAL_DIR)/glue/%.o) $(REAL_DIR)/glue/builds.o
REAL_TOOL := $(REAL_DIR)/kbuddy-real
REAL_GLUE_CFLAGS = $(ALL_CFLAGS) -Ireal/driver -Ireal/glue

$(REAL_DIR)/glue/%.o: real/glue/%.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(REAL_GLUE_CFLAGS) -MMD -MP -c $< -o $@

$(REAL_DIR)/glue/builds.o: $(REAL_DIR)/builds.c
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(REAL_GLUE_CFLAGS) -c $< -o $@

-include $(wildcard $(REAL_DIR)/glue/*.d)

$(REAL_TOOL): $(REAL_GLUE_OBJS) $(REAL_GEOM_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(REAL_GLUE_OBJS) $(REAL_GEOM_OBJS) $(LIB) $(LDLIBS) -o $@

.PHONY: real real-build real-prepare real-tool _real _real-build _real-tool
# kbuddy is compared as PROFILE=6.12, so these build in that configuration.
real real-build:
	$(Q)$(MAKE) --no-print-directory _$@ PROFILE=6.12

# The path of kbuddy-real for this configuration (and KERNEL_PATCH).
real-tool:
	@$(MAKE) --no-print-directory -s _real-tool PROFILE=6.12

_real-tool:
	@echo '$(abspath $(REAL_TOOL))'

real-prepare: $(REAL_PREPARED)
	@echo "real: $(REAL_SRC) from $(REAL_TARBALL) ($$(cat $(REAL_SRC)/version.txt));" \
		"$$(wc -l < $(REAL_SRC)/stubbed.txt) headers stubbed (stubbed.txt)"

_real-build: real-prepare $(REAL_TOOL)
	@echo "real: $(REAL_TOOL)"

_real: _real-build $(KBUDDY)
	@$(SCRIPT_ENV) REAL_TOOL='$(abspath $(REAL_TOOL))' bash real/check_real.sh
