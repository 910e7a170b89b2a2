// SPDX-License-Identifier: GPL-2.0
/*
 * Library helpers of lib/ and arch/ the allocator calls.
 */
#include <kshim/kshim.h>
#include <stdlib.h>

/* lib/math/int_sqrt.c */
unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (__fls(x) & ~1UL);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

/* lib/kstrtox.c */
int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* arch/x86/lib/clear_page_64.S: the driver's backing bytes of the page. */
void kshim_clear_page(void *addr)
{
	memset(addr, 0, PAGE_SIZE);
}

/* arch/x86: the bit-lock helper of folio_unlock; page locks are not taken. */
bool xor_unlock_is_negative_byte(unsigned long mask, volatile unsigned long *addr)
{
	unsigned long old = *addr;

	*addr = old ^ mask;
	return (signed char)old < 0;
}

/* drivers/base/cacheinfo.c: no cache size known, so pcp->flags never gets
 * PCPF_FREE_HIGH_BATCH (as in kbuddy). */
struct cpu_cacheinfo *get_cpu_cacheinfo(unsigned int cpu)
{
	static struct cpu_cacheinfo none;

	(void)cpu;
	return &none;
}

/* lib/kstrtox.c, lib/cmdline.c: for kernelcore= and movablecore= */
unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base)
{
	return strtoull(cp, endp, (int)base);
}

unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return strtoul(cp, endp, (int)base);
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *endptr;
	unsigned long long ret = simple_strtoull(ptr, &endptr, 0);

	switch (*endptr) {
	case 'E': case 'e': ret <<= 10; fallthrough;
	case 'P': case 'p': ret <<= 10; fallthrough;
	case 'T': case 't': ret <<= 10; fallthrough;
	case 'G': case 'g': ret <<= 10; fallthrough;
	case 'M': case 'm': ret <<= 10; fallthrough;
	case 'K': case 'k': ret <<= 10; endptr++; fallthrough;
	default: break;
	}
	if (retptr)
		*retptr = endptr;
	return ret;
}

/* lib/cmdline.c */
bool parse_option_str(const char *str, const char *option)
{
	size_t len = strlen(option);

	while (*str) {
		if (!strncmp(str, option, len)) {
			str += len;
			if (!*str || *str == ',')
				return true;
		}
		while (*str && *str++ != ',')
			;
	}
	return false;
}

/* The slab allocator: memblock_double_array() frees through it once the
 * slab is up, which never happens here. */
void *kmalloc(size_t size, gfp_t flags)
{
	(void)flags;
	return malloc(size);
}

void kfree(const void *p)
{
	free((void *)p);
}
