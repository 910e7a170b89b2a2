/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bitmaps (include/linux/bitmap.h, find.h) for the node masks: the
 * operations nodemask.h uses, on small fixed-size bitmaps, in plain C.
 */
#ifndef KSHIM_BITMAP_H
#define KSHIM_BITMAP_H

#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))
#define kshim_bitmap_loop(i, nbits) for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)

static inline unsigned long kshim_word_mask(unsigned int i, unsigned int nbits)
{
	return (i + 1 == BITS_TO_LONGS(nbits) && nbits % BITS_PER_LONG) ?
		BITMAP_LAST_WORD_MASK(nbits) : ~0UL;
}
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = 0; }
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = kshim_word_mask(i, nbits); }
static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = src[i]; }
static inline bool bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ unsigned long r = 0; kshim_bitmap_loop(i, nbits) r |= (dst[i] = a[i] & b[i] & kshim_word_mask(i, nbits)); return r != 0; }
static inline void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = a[i] | b[i]; }
static inline void bitmap_xor(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = a[i] ^ b[i]; }
static inline bool bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ unsigned long r = 0; kshim_bitmap_loop(i, nbits) r |= (dst[i] = a[i] & ~b[i] & kshim_word_mask(i, nbits)); return r != 0; }
static inline void bitmap_complement(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) dst[i] = ~src[i] & kshim_word_mask(i, nbits); }
static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) if ((a[i] ^ b[i]) & kshim_word_mask(i, nbits)) return false; return true; }
static inline bool bitmap_intersects(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) if (a[i] & b[i] & kshim_word_mask(i, nbits)) return true; return false; }
static inline bool bitmap_subset(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) if (a[i] & ~b[i] & kshim_word_mask(i, nbits)) return false; return true; }
static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) if (src[i] & kshim_word_mask(i, nbits)) return false; return true; }
static inline bool bitmap_full(const unsigned long *src, unsigned int nbits)
{ kshim_bitmap_loop(i, nbits) if (~src[i] & kshim_word_mask(i, nbits)) return false; return true; }
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{ unsigned int w = 0; kshim_bitmap_loop(i, nbits) w += hweight_long(src[i] & kshim_word_mask(i, nbits)); return w; }
static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{ for (; offset < size; offset++) if (test_bit(offset, addr)) return offset; return size; }
static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{ for (; offset < size; offset++) if (!test_bit(offset, addr)) return offset; return size; }
static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{ return find_next_bit(addr, size, 0); }
static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{ return find_next_zero_bit(addr, size, 0); }
static inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{ while (size--) if (test_bit(size, addr)) return size; return ~0UL; }
static inline unsigned long find_nth_bit(const unsigned long *addr, unsigned long size, unsigned long n)
{ for (unsigned long b = 0; b < size; b++) if (test_bit(b, addr) && n-- == 0) return b; return size; }
static inline unsigned long find_next_and_bit(const unsigned long *a, const unsigned long *b, unsigned long size, unsigned long offset)
{ for (; offset < size; offset++) if (test_bit(offset, a) && test_bit(offset, b)) return offset; return size; }
/* Declared for nodemask.h's inlines; nothing in the allocator calls them. */
void bitmap_shift_right(unsigned long *dst, const unsigned long *src, unsigned int shift, unsigned int nbits);
void bitmap_shift_left(unsigned long *dst, const unsigned long *src, unsigned int shift, unsigned int nbits);
void bitmap_remap(unsigned long *dst, const unsigned long *src, const unsigned long *old, const unsigned long *new, unsigned int nbits);
int bitmap_bitremap(int oldbit, const unsigned long *old, const unsigned long *new, int bits);
void bitmap_onto(unsigned long *dst, const unsigned long *orig, const unsigned long *relmap, unsigned int bits);
void bitmap_fold(unsigned long *dst, const unsigned long *orig, unsigned int sz, unsigned int nbits);
int bitmap_parse_user(const char *ubuf, unsigned int ulen, unsigned long *dst, int nbits);
int bitmap_parselist(const char *buf, unsigned long *maskp, int nmaskbits);
#define get_random_int() 0
static inline u32 get_random_u32_below(u32 ceil) { (void)ceil; return 0; }

#endif
