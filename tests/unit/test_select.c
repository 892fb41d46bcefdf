/* Unit tests: the selection options (src/call/select.c). */
#include "testutil.h"

#include <stdlib.h>

#include "call/select.h"

static struct sift_msg_rec msgs[2];

/* A call built by hand: From, To, one request with Request-URI and
 * P-Asserted-Identity, one response. */
static void make_call(struct sift_call *c, const char *from, const char *to,
		      const char *ruri, const char *pai)
{
	memset(c, 0, sizeof(*c));
	memset(msgs, 0, sizeof(msgs));
	c->call_id = (char *)"abc@host";
	c->index = 4;
	c->from = (char *)from;
	c->to = (char *)to;
	c->first_ts = 1000 * SIFT_USEC + 500000;
	c->last_ts = c->first_ts + 2 * SIFT_USEC;
	msgs[0].request = true;
	msgs[0].ruri = ruri;
	msgs[0].from_uri = from;
	msgs[0].to_uri = to;
	msgs[0].pai = pai;
	msgs[0].where.frame = 7;
	msgs[1].status = 486;
	msgs[1].where.frame = 9;
	msgs[0].txn = msgs[1].txn = UINT32_MAX;
	c->msgs = msgs;
	c->nmsgs = 2;
}

static struct sift_select sel;
static char err[512];

static void add(enum sift_select_opt o, const char *arg)
{
	assert_int_equal(sift_select_add(&sel, o, arg, err, sizeof(err)), SIFT_OK);
}

static bool match(const struct sift_call *c)
{
	return sift_select_match(&sel, c, c->last_ts, 990 * SIFT_USEC);
}

static void test_time(void **state)
{
	int64_t t;
	bool rel, tod;

	(void)state;
	assert_true(sift_select_time("+90", &t, &rel, &tod));
	assert_true(rel);
	assert_int_equal(t, 90 * SIFT_USEC);
	assert_true(sift_select_time("+1.5m", &t, &rel, &tod));
	assert_int_equal(t, 90 * SIFT_USEC);
	assert_true(sift_select_time("+2h", &t, &rel, &tod));
	assert_int_equal(t, 7200 * SIFT_USEC);
	assert_true(sift_select_time("+0.25s", &t, &rel, &tod));
	assert_int_equal(t, 250000);
	assert_true(sift_select_time("1970-01-02 00:00:01.5", &t, &rel, &tod));
	assert_false(rel);
	assert_false(tod);
	assert_int_equal(t, 86401 * SIFT_USEC + 500000);
	assert_true(sift_select_time("2024-02-29T12:00:00Z", &t, &rel, &tod));
	assert_int_equal(t, 1709208000LL * SIFT_USEC);
	assert_true(sift_select_time("2024-03-01", &t, &rel, &tod));
	assert_int_equal(t, 1709251200LL * SIFT_USEC);
	assert_true(sift_select_time("06:49:05", &t, &rel, &tod));
	assert_true(tod);
	assert_int_equal(t, (6 * 3600 + 49 * 60 + 5) * SIFT_USEC);
	assert_true(sift_select_time("@1709208000.1", &t, &rel, &tod));
	assert_int_equal(t, 1709208000LL * SIFT_USEC + 100000);
	assert_false(sift_select_time("", &t, &rel, &tod));
	assert_false(sift_select_time("+", &t, &rel, &tod));
	assert_false(sift_select_time("+5x", &t, &rel, &tod));
	assert_false(sift_select_time("25:00", &t, &rel, &tod));
	assert_false(sift_select_time("2024-13-01", &t, &rel, &tod));
	assert_false(sift_select_time("2024-01-01 10", &t, &rel, &tod));
	assert_false(sift_select_time("yesterday", &t, &rel, &tod));
}

static void test_digits(void **state)
{
	char out[16];

	(void)state;
	assert_true(sift_select_digits("+1 (555) 123-45.67", 18, out, sizeof(out)));
	assert_string_equal(out, "15551234567");
	assert_false(sift_select_digits("12a", 3, out, sizeof(out)));
	assert_false(sift_select_digits("+-", 2, out, sizeof(out)));
	assert_false(sift_select_digits("12345678901234567890", 20, out, sizeof(out)));
}

static void test_number(void **state)
{
	struct sift_call c;

	(void)state;
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_NUMBER, "555-1234");
	make_call(&c, "sip:alice@example.com", "sip:bob@example.com",
		  "sip:bob@example.com", "\"A\" <tel:+1-212-555-1234;phone-context=x>");
	assert_true(match(&c));      /* only the P-Asserted-Identity has it */
	make_call(&c, "sip:alice@example.com", "sip:bob@example.com",
		  "sip:+15551234@gw.example.com;user=phone", NULL);
	assert_true(match(&c));      /* the Request-URI */
	make_call(&c, "sip:alice@example.com", "sip:5551234@example.com",
		  NULL, NULL);
	assert_true(match(&c));      /* To */
	make_call(&c, "sip:5551234@example.com", "sip:bob@example.com",
		  NULL, NULL);
	assert_true(match(&c));      /* From */
	make_call(&c, "sip:alice@example.com", "sip:5551235@example.com",
		  "sip:55512345@example.com", "sip:5551234.example.com");
	assert_false(match(&c));     /* a host is no user part */
	assert_int_equal(sift_select_add(&sel, SIFT_SEL_NUMBER, "12ab", err,
					 sizeof(err)), SIFT_EINVAL);
	assert_non_null(strstr(err, "'12ab'"));
}

static void test_patterns_and_state(void **state)
{
	struct sift_call c;

	(void)state;
	make_call(&c, "sip:Alice@example.com", "sip:bob@example.com", NULL, NULL);
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_FROM, "alice");
	assert_true(match(&c));
	add(SIFT_SEL_TO, "bob*");
	assert_true(match(&c));
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_TO, "carol");
	add(SIFT_SEL_TO, "*@example.com");
	assert_true(match(&c));      /* any value of one option */
	add(SIFT_SEL_FROM, "carol");
	assert_false(match(&c));     /* every option */
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_STATE, "answered,in-progress");
	assert_true(match(&c));      /* a request without response: in progress */
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_STATE, "rejected");
	assert_false(match(&c));
	assert_int_equal(sift_select_add(&sel, SIFT_SEL_STATE, "busy", err,
					 sizeof(err)), SIFT_EINVAL);
	assert_non_null(strstr(err, "'busy'"));
}

static void test_time_window_and_names(void **state)
{
	struct sift_call c;

	(void)state;
	make_call(&c, "sip:a@x", "sip:b@x", NULL, NULL);
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_SINCE, "+10.5");     /* the start is 990 s: 1000.5 */
	assert_true(match(&c));
	add(SIFT_SEL_UNTIL, "+10.4");
	assert_false(match(&c));
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_SINCE, "+10.6");
	assert_false(match(&c));
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_UNTIL, "00:16:40.5");  /* day of the start, 1000.5 s */
	assert_true(match(&c));
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_CALL, "3");
	assert_false(match(&c));
	add(SIFT_SEL_CALL_ID, "abc@host");
	assert_true(match(&c));      /* named by one or the other */
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_FRAME, "9");
	assert_true(match(&c));
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_FRAME, "8");
	assert_false(match(&c));
	assert_int_equal(sift_select_add(&sel, SIFT_SEL_CALL, "0", err,
					 sizeof(err)), SIFT_EINVAL);
	assert_int_equal(sift_select_add(&sel, SIFT_SEL_CALL, "4294967296", err,
					 sizeof(err)), SIFT_EINVAL);
}

static void test_selected(void **state)
{
	struct sift_call c;
	struct sift_selected *x;
	char msg[256];
	bool m;

	(void)state;
	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_CALL, "4");
	add(SIFT_SEL_CALL, "5");
	x = sift_selected_new(&sel);
	assert_non_null(x);
	make_call(&c, "sip:a@x", "sip:b@x", NULL, NULL);
	assert_int_equal(sift_selected_judge(x, &c, c.last_ts, 0, &m), SIFT_OK);
	assert_true(m);
	assert_true(sift_selected_has(x, "abc@host"));
	assert_false(sift_selected_has(x, "other"));
	assert_int_equal(sift_selected_get(x, "abc@host")->index, 4);
	assert_int_equal(sift_selected_check(x, 4, msg, sizeof(msg)), 2);
	assert_non_null(strstr(msg, "--call 5: no such call; the capture has 4 calls"));
	sift_selected_free(x);

	memset(&sel, 0, sizeof(sel));
	add(SIFT_SEL_FROM, "nobody");
	x = sift_selected_new(&sel);
	assert_int_equal(sift_selected_judge(x, &c, c.last_ts, 0, &m), SIFT_OK);
	assert_false(m);
	assert_int_equal(sift_selected_count(x), 0);
	assert_int_equal(sift_selected_check(x, 1, msg, sizeof(msg)), 1);
	assert_string_equal(msg, "no call matches the selection (the capture has 1 call)");
	sift_selected_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_patterns_and_state),
		cmocka_unit_test(test_time_window_and_names),
		cmocka_unit_test(test_selected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
