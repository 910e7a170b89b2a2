/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kb_text_looks_like_text (core/textio.c): whether a file is read as text
 * or as a binary input. Its first line decides: printable ASCII, tabs and
 * well-formed UTF-8 only; a NUL, a control byte or a broken or cut-off
 * UTF-8 sequence makes it binary. And kb_text_next_line's line ends.
 */
#include <string.h>

#include "kbtest.h"
#include "textio.h"

static bool text(const char *s, size_t n)
{
	return kb_text_looks_like_text((const uint8_t *)s, n);
}

#define T(lit)	text(lit, sizeof(lit) - 1)

TEST(text_is_printable_ascii_and_utf8)
{
	EXPECT_TRUE(T("kbuddy ops v1\n"));
	EXPECT_TRUE(T("  \n\tlayout default\n"));
	EXPECT_TRUE(T("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\n"));
	EXPECT_TRUE(T("\xef\xbb\xbf" "anything"));
	/* only the first line is looked at */
	EXPECT_TRUE(T("alloc\n\x01\x02"));
}

TEST(binary_is_anything_else)
{
	EXPECT_TRUE(!text(NULL, 4));
	EXPECT_TRUE(!T(""));
	EXPECT_TRUE(!T("\0abc"));
	EXPECT_TRUE(!T("  \n\0"));
	EXPECT_TRUE(!T("ab\x01"));
	EXPECT_TRUE(!T("ab\x7f"));
	/* a sequence cut off by the end of the data, or broken */
	EXPECT_TRUE(!T("abc\xc3"));
	EXPECT_TRUE(!T("abc\xe2\x82"));
	EXPECT_TRUE(!T("abc\xc3("));
	/* overlong and out-of-range lead bytes */
	EXPECT_TRUE(!T("\xc0\xaf"));
	EXPECT_TRUE(!T("\xf5\x80\x80\x80"));
}

/*
 * LF, CR LF and a lone CR each end a line, and every call moves on: the
 * calls are counted, so a reader that stopped advancing fails here instead
 * of hanging its parser.
 */
TEST(line_ends_lf_crlf_and_lone_cr)
{
	static const char in[] = "one\ntwo\r\nthree\rfour x\r";
	static const char *const want[] = { "one", "two", "three", "four" };
	struct kb_text_line line;
	const char *reason = NULL;
	size_t pos = 0;
	unsigned int n = 0, calls;

	for (calls = 0; calls < 8; calls++) {
		int r = kb_text_next_line(in, sizeof(in) - 1, &pos, KB_TEXT_MAX_FIELDS, &line,
					  &reason);

		ASSERT_TRUE(r >= 0);
		if (!r)
			break;
		ASSERT_TRUE(n < 4);
		ASSERT_TRUE(line.nr_fields >= 1);
		EXPECT_STREQ(line.field[0], want[n]);
		n++;
	}
	EXPECT_EQ(n, 4u);
	EXPECT_EQ(pos, sizeof(in) - 1);
	EXPECT_TRUE(calls < 8);
}

TEST_MAIN()
