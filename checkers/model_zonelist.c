// SPDX-License-Identifier: GPL-2.0
/*
 * The model's zonelists (mm/page_alloc.c: build_all_zonelists). Per node
 * a fallback list over every node with memory and a no-fallback list
 * (__GFP_THISNODE) of the node alone; within a node its populated zones,
 * highest index first.
 *
 * Node order is find_next_best_node's: the node itself when it has memory,
 * then repeatedly the unused node with memory of least
 *   (distance + [n < node] + [n has CPUs]) * MAX_NUMNODES + node_load[n],
 * the lowest id winning ties; node_load is shared by all nodes' builds
 * (in node-id order) and grows by one for the first node of each new
 * distance group, which spreads nodes at equal distance round robin.
 */
#include <limits.h>

#include "model.h"

#define MODEL_MAX_NUMNODES	64	/* 1 << NODES_SHIFT on x86-64 */

static bool has_memory(const struct kb_model *m, int nid)
{
	return m->node[nid].present != 0;
}

static int distance(const struct kb_model *m, int from, int to)
{
	return m->layout.node[from].distance[to];
}

/* Appends the node's populated zones, highest first; returns the new length. */
static int add_node_zones(const struct kb_model *m, int nid, int *list, int n)
{
	for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--)
		if (m->node[nid].zone[zid].present)
			list[n++] = KB_MODEL_ZONEREF(nid, zid);
	return n;
}

static int next_best_node(const struct kb_model *m, int local, bool *used, const int *load)
{
	int best = -1, best_val = INT_MAX;

	if (!used[local] && has_memory(m, local)) {
		used[local] = true;
		return local;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		int val;

		if (used[n] || !has_memory(m, n))
			continue;
		val = distance(m, local, n) + (n < local ? 1 : 0) +
		      (m->node[n].nr_cpus ? 1 : 0);
		val = val * MODEL_MAX_NUMNODES + load[n];
		if (val < best_val) {
			best_val = val;
			best = n;
		}
	}
	if (best >= 0)
		used[best] = true;
	return best;
}

void kb_model_build_zonelists(struct kb_model *m)
{
	int load[KB_MAX_NODES] = { 0 };

	for (int local = 0; local < m->nr_nodes; local++) {
		struct kb_model_node *node = &m->node[local];
		bool used[KB_MAX_NODES] = { false };
		int prev = local, n = 0, next;

		while ((next = next_best_node(m, local, used, load)) >= 0) {
			if (distance(m, local, next) != distance(m, local, prev))
				load[next]++;
			n = add_node_zones(m, next, node->zonelist[ZONELIST_FALLBACK], n);
			prev = next;
		}
		node->zonelist[ZONELIST_FALLBACK][n] = -1;
		n = add_node_zones(m, local, node->zonelist[ZONELIST_NOFALLBACK], 0);
		node->zonelist[ZONELIST_NOFALLBACK][n] = -1;
	}
}

const int *kb_model_zonelist(const struct kb_model *m, int nid, bool thisnode)
{
	return m->node[nid].zonelist[thisnode ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK];
}
