/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSHIM_MM_H
#define KSHIM_MM_H

#endif
