/* Unit tests for src/util/htab.c: the intrusive bounded hash table, the
 * age-ordered list and the capture-time clock the reassemblers share. */
#include "testutil.h"

#include "util/htab.h"

struct ent {
	struct sift_hnode hn;
	struct sift_lnode ln;
	uint32_t key;
};

static uint32_t key_hash(uint32_t key)
{
	uint8_t b[4] = { (uint8_t)(key >> 24), (uint8_t)(key >> 16),
			 (uint8_t)(key >> 8), (uint8_t)key };

	return sift_fnv1a(SIFT_FNV_INIT, b, sizeof(b));
}

static struct ent *find(const struct sift_htab *t, uint32_t key)
{
	uint32_t h = key_hash(key);

	for (struct sift_hnode *e = sift_htab_chain(t, h); e; e = e->next) {
		struct ent *x = sift_container_of(e, struct ent, hn);

		if (e->hash == h && x->key == key)
			return x;
	}
	return NULL;
}

/* Bucket counts: a power of two from 16 to 65536, at least the cap; a cap
 * of 0 is taken as 1. */
static void test_htab_sizes(void **state)
{
	struct sift_htab t;

	(void)state;
	assert_true(sift_htab_init(&t, 0));
	assert_int_equal(t.max, 1);
	assert_int_equal(t.nb, 16);
	sift_htab_fini(&t);
	assert_true(sift_htab_init(&t, 1000));
	assert_int_equal(t.nb, 1024);
	sift_htab_fini(&t);
	assert_true(sift_htab_init(&t, 1u << 20));
	assert_int_equal(t.nb, 65536);
	sift_htab_fini(&t);
}

/* More entries than buckets (chains), found, removed from the middle and
 * the head of chains, counted against the cap. */
static void test_htab_add_find_del(void **state)
{
	static struct ent e[100];
	struct sift_htab t;

	(void)state;
	assert_true(sift_htab_init(&t, 100));
	for (uint32_t i = 0; i < 100; i++) {
		e[i].key = i * 7919u;
		assert_false(sift_htab_full(&t));
		sift_htab_add(&t, &e[i].hn, key_hash(e[i].key));
	}
	assert_true(sift_htab_full(&t));
	for (uint32_t i = 0; i < 100; i++)
		assert_ptr_equal(find(&t, i * 7919u), &e[i]);
	assert_null(find(&t, 1));
	for (uint32_t i = 0; i < 100; i += 3)
		sift_htab_del(&t, &e[i].hn);
	assert_int_equal(t.n, 100 - 34);
	for (uint32_t i = 0; i < 100; i++)
		assert_ptr_equal(find(&t, i * 7919u), i % 3 ? &e[i] : NULL);
	sift_htab_fini(&t);
}

static void test_list_order(void **state)
{
	struct ent e[4];
	struct sift_list l = { NULL, NULL, 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		sift_list_append(&l, &e[i].ln);
	assert_int_equal(l.n, 4);
	assert_ptr_equal(l.first, &e[0].ln);
	sift_list_remove(&l, &e[0].ln);
	sift_list_remove(&l, &e[2].ln);
	assert_ptr_equal(l.first, &e[1].ln);
	assert_ptr_equal(l.first->next, &e[3].ln);
	assert_ptr_equal(l.last, &e[3].ln);
	sift_list_append(&l, &e[0].ln);        /* touched: to the young end */
	assert_ptr_equal(l.last, &e[0].ln);
	sift_list_remove(&l, &e[3].ln);
	sift_list_remove(&l, &e[1].ln);
	sift_list_remove(&l, &e[0].ln);
	assert_null(l.first);
	assert_null(l.last);
	assert_int_equal(l.n, 0);
}

/* The clock never goes back; the age test holds at the int64 ends. */
static void test_clock(void **state)
{
	struct sift_clock c = { 0, false };

	(void)state;
	sift_clock_tick(&c, -5);
	assert_true(c.now == -5);
	sift_clock_tick(&c, 100);
	sift_clock_tick(&c, 50);
	assert_true(c.now == 100);
	assert_false(sift_clock_older(&c, 90, 10));
	assert_true(sift_clock_older(&c, 89, 10));
	sift_clock_tick(&c, INT64_MAX);
	assert_true(sift_clock_older(&c, INT64_MIN, 0));
	assert_false(sift_clock_older(&c, INT64_MAX, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htab_sizes),
		cmocka_unit_test(test_htab_add_find_del),
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
