// SPDX-License-Identifier: GPL-2.0
/*
 * kb_zoneinfo_compare (import/compare.h): every zone of the real view is
 * looked up in kbuddy's by node and name, every field both print is
 * compared, and a field one side prints and the other does not is a
 * format difference (a profile printing the wrong lines).
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"

/* Why a zone field has its value; dynamic fields move at run time. */
static const struct {
	bool dynamic;
	const char *why;
} zone_reason[KB_ZI_NR_FIELDS] = {
	[KB_ZI_FREE] = { true, "free pages move with every allocation and free" },
	[KB_ZI_BOOST] = { true, "watermark boosting follows fallbacks at run time" },
	[KB_ZI_MIN] = { false, "__setup_per_zone_wmarks at init_per_zone_wmark_min: min_free_kbytes split over the lowmem managed pages of that moment (before the late frees), again at each watermark sysctl write" },
	[KB_ZI_LOW] = { false, "min + max(min / 4, managed * watermark_scale_factor / 10000), from the same managed pages as min" },
	[KB_ZI_HIGH] = { false, "low + the same step as low" },
	[KB_ZI_PROMO] = { false, "high + the same step as low" },
	[KB_ZI_SPANNED] = { false, "the zone's span in the layout (zone_spanned_pages_in_node)" },
	[KB_ZI_PRESENT] = { false, "the span less the layout's holes" },
	[KB_ZI_MANAGED] = { false, "present less the layout's reserved ranges (late frees count once freed)" },
	[KB_ZI_CMA] = { false, "the layout's CMA ranges" },
	[KB_ZI_NODE_UNRECLAIMABLE] = { true, "kswapd's failures at run time" },
	[KB_ZI_START_PFN] = { false, "the zone's first pfn in the layout" },
};

static const struct {
	bool dynamic;
	const char *why;
} pcp_reason[KB_ZI_PCP_NR_FIELDS] = {
	[KB_ZI_PCP_COUNT] = { true, "pages on the pcp list move with every allocation and free" },
	[KB_ZI_PCP_HIGH] = { false, "zone_highsize: the low watermark split over the node's CPUs, at least 4 * batch (static before 6.7)" },
	[KB_ZI_PCP_BATCH] = { false, "zone_batchsize from the managed pages at init_per_zone_wmark_min" },
	[KB_ZI_PCP_HIGH_MIN] = { false, "zone_highsize with the low watermark" },
	[KB_ZI_PCP_HIGH_MAX] = { false, "zone_highsize with managed / 8" },
	[KB_ZI_PCP_THRESHOLD] = { false, "calculate_normal_threshold from the managed pages and the online CPUs, at refresh_zone_stat_thresholds" },
};

static const char pcp_high_dynamic_why[] =
	"since 6.7 pcp->high is tuned at run time between high_min and high_max (0 until the CPU frees to it)";

static void diff(FILE *out, const struct kb_zi_zone *z, int cpu, const char *field, long real,
		 long ours, bool dynamic, const char *why)
{
	char where[48];

	if (!out)
		return;
	if (cpu >= 0)
		snprintf(where, sizeof(where), "cpu %d %s", cpu, field);
	else
		snprintf(where, sizeof(where), "%s", field);
	fprintf(out, "node %d zone %-7s %-24s real %-10ld kbuddy %-10ld %s: %s\n", z->node, z->name,
		where, real, ours, dynamic ? "dynamic" : "DERIVED", why);
}

static void format_diff(FILE *out, const struct kb_zi_zone *z, const char *what, bool real_has)
{
	if (out)
		fprintf(out, "node %d zone %-7s %-24s printed by %s only: format (the profile's zoneinfo lines)\n",
			z->node, z->name, what, real_has ? "the real kernel" : "kbuddy");
}

static void compare_pcp(const struct kb_zi_zone *zr, const struct kb_zi_pcp *pr,
			const struct kb_zi_pcp *po, const struct kb_zi_compare_opts *opts, FILE *out,
			struct kb_zi_compare_result *res)
{
	int f;

	for (f = 0; f < KB_ZI_PCP_NR_FIELDS; f++) {
		bool hr = pr->has & (1u << f), ho = po->has & (1u << f);
		bool dynamic = pcp_reason[f].dynamic;
		const char *why = pcp_reason[f].why;
		char name[40];

		if (!hr && !ho)
			continue;
		snprintf(name, sizeof(name), "cpu %d %s", pr->cpu, kb_zi_pcp_field_name(f));
		if (hr != ho) {
			format_diff(out, zr, name, hr);
			res->format++;
			continue;
		}
		if (pr->value[f] == po->value[f]) {
			res->equal++;
			continue;
		}
		if (f == KB_ZI_PCP_HIGH && opts->pcp_high_dynamic)
			dynamic = true, why = pcp_high_dynamic_why;
		if (dynamic)
			res->dynamic++;
		else
			res->derived++;
		if (!dynamic || !opts->quiet_dynamic)
			diff(out, zr, pr->cpu, kb_zi_pcp_field_name(f), pr->value[f], po->value[f],
			     dynamic, why);
	}
}

static void compare_zone(const struct kb_zi_zone *zr, const struct kb_zi_zone *zo,
			 const struct kb_zi_compare_opts *opts, FILE *out,
			 struct kb_zi_compare_result *res)
{
	int f, i;

	for (f = 0; f < KB_ZI_NR_FIELDS; f++) {
		bool hr = zr->has & (1u << f), ho = zo->has & (1u << f);

		if (!hr && !ho)
			continue;
		if (hr != ho) {
			format_diff(out, zr, kb_zi_field_name(f), hr);
			res->format++;
		} else if (zr->value[f] == zo->value[f]) {
			res->equal++;
		} else {
			if (zone_reason[f].dynamic)
				res->dynamic++;
			else
				res->derived++;
			if (!zone_reason[f].dynamic || !opts->quiet_dynamic)
				diff(out, zr, -1, kb_zi_field_name(f), zr->value[f], zo->value[f],
				     zone_reason[f].dynamic, zone_reason[f].why);
		}
	}
	if (zr->nr_protection != zo->nr_protection) {
		if (out)
			fprintf(out, "node %d zone %-7s %-24s real has %d entries, kbuddy %d: format (MAX_NR_ZONES)\n",
				zr->node, zr->name, "protection", zr->nr_protection, zo->nr_protection);
		res->format++;
	} else {
		for (i = 0; i < zr->nr_protection; i++) {
			char name[32];

			if (zr->protection[i] == zo->protection[i]) {
				res->equal++;
				continue;
			}
			res->derived++;
			snprintf(name, sizeof(name), "protection[%d]", i);
			diff(out, zr, -1, name, zr->protection[i], zo->protection[i], false,
			     "setup_per_zone_lowmem_reserve: the managed pages of the higher zones / lowmem_reserve_ratio, when last computed (boot, or a read or write of the sysctl)");
		}
	}
	for (i = 0; i < zr->nr_pcp; i++) {
		const struct kb_zi_pcp *po = kb_zi_zone_pcp(zo, zr->pcp[i].cpu);

		if (!po) {
			if (out)
				fprintf(out, "node %d zone %-7s cpu %d is online in the real kernel only: the layout has fewer CPUs\n",
					zr->node, zr->name, zr->pcp[i].cpu);
			res->format++;
			continue;
		}
		compare_pcp(zr, &zr->pcp[i], po, opts, out, res);
	}
	for (i = 0; i < zo->nr_pcp; i++)
		if (!kb_zi_zone_pcp(zr, zo->pcp[i].cpu)) {
			if (out)
				fprintf(out, "node %d zone %-7s cpu %d is in kbuddy only: the layout has more CPUs\n",
					zo->node, zo->name, zo->pcp[i].cpu);
			res->format++;
		}
}

unsigned int kb_zoneinfo_compare(const struct kb_zoneinfo *real, const struct kb_zoneinfo *ours,
				 const struct kb_zi_compare_opts *opts, FILE *out,
				 struct kb_zi_compare_result *res)
{
	int i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < real->nr_zones; i++) {
		const struct kb_zi_zone *zr = &real->zone[i];
		const struct kb_zi_zone *zo = kb_zoneinfo_find(ours, zr->node, zr->name);

		if (!zo) {
			if (out)
				fprintf(out, "node %d zone %-7s is in the real zoneinfo only\n", zr->node,
					zr->name);
			res->format++;
			continue;
		}
		compare_zone(zr, zo, opts, out, res);
	}
	for (i = 0; i < ours->nr_zones; i++)
		if (!kb_zoneinfo_find(real, ours->zone[i].node, ours->zone[i].name)) {
			if (out)
				fprintf(out, "node %d zone %-7s is in kbuddy's zoneinfo only\n",
					ours->zone[i].node, ours->zone[i].name);
			res->format++;
		}
	return res->derived + res->format;
}
