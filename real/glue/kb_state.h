/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuddy's state as a real_state (real_api.h), for the differential runner.
 */
#ifndef REAL_GLUE_KB_STATE_H
#define REAL_GLUE_KB_STATE_H

#include "kbuddy.h"
#include "real_api.h"

_Static_assert(NR_PCP_LISTS == REAL_NR_PCP_LISTS, "pcp lists: kbuddy and the real build");
_Static_assert(MIGRATE_TYPES == REAL_NR_MIGRATETYPES, "migratetypes: kbuddy and the real build");
_Static_assert(MAX_NR_ZONES == REAL_NR_ZONES, "zones: kbuddy and the real build");

void kb_real_state(const struct kb_instance *kb, struct real_state *out);

#endif
