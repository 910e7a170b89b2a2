/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuddy's side of the real build: a layout as a real_machine, and the
 * build of the real code for its geometry.
 */
#ifndef REAL_GLUE_MACHINE_H
#define REAL_GLUE_MACHINE_H

#include "layout.h"
#include "real_api.h"

void real_machine_from_layout(const struct kb_layout *layout, struct real_machine *m);
/* The build for the layout's geometry, or NULL (err says which exist). */
const struct real_ops *real_build_for(const struct kb_layout *layout, char *err, size_t errlen);

#endif
