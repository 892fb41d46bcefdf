/* Unit tests for src/util/cursor.h: every get in both byte orders, and
 * what a short read does (cut, zero, the cursor at its end, later gets
 * failing too). */
#include "testutil.h"

#include "util/cursor.h"

static const uint8_t bytes[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
};

static void test_cursor_big_endian(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, sizeof(bytes));

	(void)state;
	assert_int_equal(sift_cur_u8(&c), 0x01);
	assert_int_equal(sift_cur_be16(&c), 0x0203);
	assert_int_equal(sift_cur_be24(&c), 0x040506);
	assert_int_equal(sift_cur_be32(&c), 0x0708090a);
	assert_int_equal(sift_cur_left(&c), 6);
	assert_false(c.cut);
	c = sift_cur_make(bytes, sizeof(bytes));
	assert_true(sift_cur_be64(&c) == UINT64_C(0x0102030405060708));
	assert_true(sift_cur_u64(&c, true) == UINT64_C(0x090a0b0c0d0e0f10));
	assert_int_equal(sift_cur_left(&c), 0);
	assert_false(c.cut);
}

static void test_cursor_little_endian(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, sizeof(bytes));

	(void)state;
	assert_int_equal(sift_cur_le16(&c), 0x0201);
	assert_int_equal(sift_cur_le32(&c), 0x06050403);
	assert_int_equal(sift_cur_u16(&c, false), 0x0807);
	assert_true(sift_cur_le64(&c) == UINT64_C(0x100f0e0d0c0b0a09));
	assert_false(c.cut);
	c = sift_cur_make(bytes, sizeof(bytes));
	assert_int_equal(sift_cur_u32(&c, false), 0x04030201);
	assert_int_equal(sift_cur_u32(&c, true), 0x05060708);
}

/* Every get on short data: 0, cut, and the cursor moved to its end so the
 * next get fails even where it would have fitted. */
static void test_cursor_short_read_cuts(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, 3);

	(void)state;
	assert_int_equal(sift_cur_be32(&c), 0);
	assert_true(c.cut);
	assert_int_equal(sift_cur_left(&c), 0);
	assert_int_equal(sift_cur_u8(&c), 0);

	c = sift_cur_make(bytes, 5);
	assert_int_equal(sift_cur_be16(&c), 0x0102);
	assert_int_equal(sift_cur_be24(&c), 0x030405);
	assert_false(c.cut);
	assert_int_equal(sift_cur_u8(&c), 0);
	assert_true(c.cut);

	c = sift_cur_make(bytes, 7);
	assert_true(sift_cur_le64(&c) == 0);
	assert_true(c.cut);
	c = sift_cur_make(bytes, 7);
	assert_true(sift_cur_be64(&c) == 0);
	assert_true(c.cut);
	c = sift_cur_make(bytes, 1);
	assert_int_equal(sift_cur_le16(&c), 0);
	assert_true(c.cut);
	c = sift_cur_make(NULL, 10);
	assert_int_equal(sift_cur_left(&c), 0);
	assert_int_equal(sift_cur_u8(&c), 0);
	assert_true(c.cut);
}

static void test_cursor_bytes_skip_copy(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, sizeof(bytes));
	uint8_t out[4];
	const uint8_t *q;

	(void)state;
	sift_cur_skip(&c, 2);
	q = sift_cur_bytes(&c, 3);
	assert_ptr_equal(q, bytes + 2);
	assert_true(sift_cur_copy(&c, out, 4));
	assert_memory_equal(out, bytes + 5, 4);
	assert_ptr_equal(sift_cur_ptr(&c), bytes + 9);
	assert_null(sift_cur_bytes(&c, 8));
	assert_true(c.cut);
	assert_false(sift_cur_copy(&c, out, 1));
	assert_int_equal(out[0], 0);

	c = sift_cur_make(bytes, sizeof(bytes));
	sift_cur_skip(&c, 17);
	assert_true(c.cut);
	c = sift_cur_make(bytes, sizeof(bytes));
	assert_non_null(sift_cur_bytes(&c, 16));
	assert_non_null(sift_cur_bytes(&c, 0));
	assert_false(c.cut);
}

/* A sub-cursor reads only its part; the parent steps over it. A short sub
 * cuts both. */
static void test_cursor_sub(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, sizeof(bytes)), s;

	(void)state;
	sift_cur_skip(&c, 1);
	s = sift_cur_sub(&c, 4);
	assert_int_equal(sift_cur_left(&s), 4);
	assert_int_equal(sift_cur_be32(&s), 0x02030405);
	assert_int_equal(sift_cur_u8(&s), 0);
	assert_true(s.cut);
	assert_false(c.cut);
	assert_int_equal(sift_cur_u8(&c), 0x06);

	s = sift_cur_sub(&c, 100);
	assert_true(s.cut);
	assert_true(c.cut);
	assert_int_equal(sift_cur_left(&s), 0);

	c = sift_cur_make(bytes, sizeof(bytes));
	sift_cur_skip(&c, 10);
	s = sift_cur_rest(&c);
	assert_int_equal(sift_cur_left(&s), 6);
	assert_int_equal(sift_cur_left(&c), 0);
	assert_false(c.cut);
	assert_int_equal(sift_cur_u8(&s), 0x0b);
}

static void test_cursor_peek(void **state)
{
	struct sift_cur c = sift_cur_make(bytes, 4);

	(void)state;
	assert_int_equal(sift_cur_peek_u8(&c, 3), 0x04);
	assert_int_equal(sift_cur_peek_be16(&c, 2), 0x0304);
	assert_int_equal(sift_cur_left(&c), 4);
	assert_false(c.cut);
	assert_int_equal(sift_cur_peek_be16(&c, 3), 0);
	assert_true(c.cut);
	c = sift_cur_make(bytes, 4);
	assert_int_equal(sift_cur_peek_u8(&c, 4), 0);
	assert_true(c.cut);
	c = sift_cur_make(bytes, 4);
	assert_int_equal(sift_cur_peek_be16(&c, 9), 0);
	assert_true(c.cut);
}

static void test_cursor_put(void **state)
{
	uint8_t b[6] = { 0 };
	struct sift_cur c;

	(void)state;
	sift_put_be16(b, 0xabcd);
	sift_put_be32(b + 2, 0x01020304);
	c = sift_cur_make(b, sizeof(b));
	assert_int_equal(sift_cur_be16(&c), 0xabcd);
	assert_int_equal(sift_cur_be32(&c), 0x01020304);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_big_endian),
		cmocka_unit_test(test_cursor_little_endian),
		cmocka_unit_test(test_cursor_short_read_cuts),
		cmocka_unit_test(test_cursor_bytes_skip_copy),
		cmocka_unit_test(test_cursor_sub),
		cmocka_unit_test(test_cursor_peek),
		cmocka_unit_test(test_cursor_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
