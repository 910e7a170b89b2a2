// SPDX-License-Identifier: GPL-2.0
/*
 * Zonelists (mm/page_alloc.c: build_all_zonelists): per node, a fallback
 * list over all nodes in distance order and a no-fallback list of the node
 * alone, each naming populated zones from the highest index down.
 */
#include <limits.h>

#include "internal.h"
#include "loop_bound.h"

#define PENALTY_FOR_NODE_WITH_CPUS	1
#define MAX_NUMNODES			64	/* 1 << NODES_SHIFT on x86-64 */

static bool node_has_memory(struct kb_instance *kb, int nid)
{
	return kb->node_data[nid].node_present_pages != 0;
}

static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zonerefs)
{
	int zone_type;
	int nr_zones = 0;

	for (zone_type = MAX_NR_ZONES - 1; zone_type >= 0; zone_type--) {
		struct zone *zone = &pgdat->node_zones[zone_type];

		if (populated_zone(zone)) {
			zonerefs[nr_zones].zone = zone;
			zonerefs[nr_zones].zone_idx = zone_type;
			nr_zones++;
		}
	}
	return nr_zones;
}

/*
 * The next node to fall back to: the local node first, then by distance,
 * preferring nodes above this one, nodes without CPUs and less used nodes.
 */
static int find_next_best_node(struct kb_instance *kb, int node, bool *used,
			       const int *node_load)
{
	int min_val = INT_MAX;
	int best_node = -1;
	int n;

	if (!used[node] && node_has_memory(kb, node)) {
		used[node] = true;
		return node;
	}

	for (n = 0; n < kb->nr_node_ids; n++) {
		int val;

		if (!node_has_memory(kb, n) || used[n])
			continue;
		val = kb->node_distance[node][n];
		/* Penalize nodes under us ("prefer the next node") */
		val += (n < node);
		if (kb->node_data[n].nr_cpus)
			val += PENALTY_FOR_NODE_WITH_CPUS;
		/* Slight preference for less loaded node */
		val *= MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		used[best_node] = true;
	return best_node;
}

static void build_zonelists(struct kb_instance *kb, pg_data_t *pgdat, int *node_load)
{
	int node_order[KB_MAX_NODES];
	bool used[KB_MAX_NODES] = { false };
	int local_node = pgdat->node_id, prev_node = local_node;
	int node, nr_nodes = 0, i;
	unsigned long rounds = 0;
	struct zoneref *zonerefs;

	while ((node = find_next_best_node(kb, local_node, used, node_load)) >= 0) {
		/* each node is used once */
		if (KB_LOOP_BOUND(kb, rounds, kb->nr_node_ids, "loop-build-zonelists",
				  pgdat->node_start_pfn, "node %d offered again for node %d's list",
				  node, local_node))
			break;
		/* Spread load over nodes at equal distance (round robin). */
		if (kb->node_distance[local_node][node] != kb->node_distance[local_node][prev_node])
			node_load[node] += 1;
		node_order[nr_nodes++] = node;
		prev_node = node;
	}

	zonerefs = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (i = 0; i < nr_nodes; i++)
		zonerefs += build_zonerefs_node(&kb->node_data[node_order[i]], zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	zonerefs = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	zonerefs += build_zonerefs_node(pgdat, zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;
}

void build_all_zonelists(struct kb_instance *kb)
{
	int node_load[KB_MAX_NODES] = { 0 };
	int nid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		build_zonelists(kb, &kb->node_data[nid], node_load);
}

/* The first zone of the list at or below highest_zoneidx. */
struct zoneref *first_zones_zonelist(struct zonelist *zonelist,
				     enum zone_type highest_zoneidx)
{
	struct zoneref *z;

	for (z = zonelist->_zonerefs; z->zone && z->zone_idx > (int)highest_zoneidx; z++)
		;
	return z;
}
