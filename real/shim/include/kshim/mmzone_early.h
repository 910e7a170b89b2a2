/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSHIM_MMZONE_EARLY_H
#define KSHIM_MMZONE_EARLY_H

#endif
