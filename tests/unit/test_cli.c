/* Unit tests for command line parsing (src/cli.c): every option, in any
 * position, and every usage error with its exact text. */
#include "testutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 80

/* argv in writable storage, as main() gets it; parse() may reorder it. */
struct args {
	char store[MAX_ARGS][64];
	char *v[MAX_ARGS + 1];
	int n;
};

static struct args A;
static struct sift_cli cli;
static char err[256];

static void args_reset(void)
{
	memset(&A, 0, sizeof(A));
	strcpy(A.store[0], "sipsift");
	A.v[0] = A.store[0];
	A.n = 1;
}

static void arg(const char *s)
{
	assert_true(A.n < MAX_ARGS);
	assert_true(strlen(s) < sizeof(A.store[0]));
	strcpy(A.store[A.n], s);
	A.v[A.n] = A.store[A.n];
	A.n++;
}

/* sift_cli_parse sets optind = 1, which does not reset glibc's getopt
 * (optind = 0 does): a parse that failed inside bundled short options
 * leaves its position behind for the next parse. Until that is fixed (see
 * test_reparse_after_bundle_error), each test parse starts from a clean
 * getopt, as the program's single parse does. */
static bool no_getopt_reset;

static void getopt_reset(void)
{
	char a0[] = "x";
	char *av[] = { a0, NULL };

	optind = 0;
	opterr = 0;
	/* The ordering ("+": stop at the first non-option) is fixed when
	 * getopt initialises: it must be the one sift_cli_parse asks for. */
	assert_int_equal(getopt(1, av, "+:"), -1);
}

static int parse_args(void)
{
	if (!no_getopt_reset)
		getopt_reset();
	memset(err, 0, sizeof(err));
	memset(&cli, 0xa5, sizeof(cli));
	return sift_cli_parse(A.n, A.v, &cli, err, sizeof(err));
}

/* Parses "sipsift" followed by the NULL-terminated arguments. */
static int parse(const char *first, ...)
{
	va_list ap;
	const char *s;

	args_reset();
	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *))
		arg(s);
	va_end(ap);
	return parse_args();
}

static void expect_usage(const char *msg)
{
	assert_string_equal(err, msg);
}

/* For messages that end in a hint naming commands (the list grows): the
 * message up to the hint exactly, then a hint in parentheses. */
static void expect_usage_hint(const char *msg)
{
	if (strncmp(err, msg, strlen(msg)) != 0)
		fail_msg("usage error '%s' does not start with '%s'", err, msg);
	assert_true(strlen(err) > strlen(msg) + 1);
	assert_int_equal(err[strlen(err) - 1], ')');
	assert_null(strchr(err, '\n'));
}

static int setup(void **state)
{
	(void)state;
	no_getopt_reset = false;
	return 0;
}

static void test_minimal(void **state)
{
	(void)state;
	assert_int_equal(parse("analyze", "a.pcap", NULL), 0);
	assert_int_equal(cli.cmd, SIFT_CMD_ANALYZE);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "a.pcap");
	assert_null(cli.output);
	assert_int_equal(cli.format, SIFT_FORMAT_TEXT);
	assert_null(cli.filter);
	assert_int_equal(cli.sel.ncall_ids, 0);
	assert_int_equal(cli.popts.n_sip_ports, 0);
	assert_int_equal(cli.verbose, 0);
	assert_false(cli.quiet);
	assert_false(cli.help);
	assert_false(cli.version);
}

/* report writes HTML unless told otherwise; --format html for any command. */
static void test_report_html(void **state)
{
	(void)state;
	assert_int_equal(parse("report", "-o", "t.html", "a.pcap", NULL), 0);
	assert_int_equal(cli.cmd, SIFT_CMD_REPORT);
	assert_int_equal(cli.format, SIFT_FORMAT_HTML);
	assert_string_equal(cli.output, "t.html");
	assert_int_equal(parse("report", "--format", "json", "a.pcap", NULL), 0);
	assert_int_equal(cli.format, SIFT_FORMAT_JSON);
	assert_int_equal(parse("analyze", "--format", "html", "a.pcap", NULL), 0);
	assert_int_equal(cli.cmd, SIFT_CMD_ANALYZE);
	assert_int_equal(cli.format, SIFT_FORMAT_HTML);
}

static void test_every_option_short(void **state)
{
	(void)state;
	assert_int_equal(parse("-o", "out.json", "--format", "json", "-f",
			       "udp port 5060", "--call-id", "abc@host",
			       "--sip-port", "5080", "-q", "-v", "-v",
			       "analyze", "x.pcapng", NULL), 0);
	assert_int_equal(cli.cmd, SIFT_CMD_ANALYZE);
	assert_string_equal(cli.output, "out.json");
	assert_int_equal(cli.format, SIFT_FORMAT_JSON);
	assert_string_equal(cli.filter, "udp port 5060");
	assert_string_equal(cli.sel.call_ids[0], "abc@host");
	assert_int_equal(cli.popts.n_sip_ports, 1);
	assert_int_equal(cli.popts.sip_ports[0], 5080);
	assert_true(cli.quiet);
	assert_int_equal(cli.verbose, 2);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "x.pcapng");
}

static void test_every_option_long(void **state)
{
	(void)state;
	assert_int_equal(parse("--output", "r.txt", "--format=ndjson",
			       "--filter", "host 192.0.2.1", "--call-id=c1",
			       "--sip-port=5070", "--quiet", "--verbose",
			       "analyze", "in.pcap", NULL), 0);
	assert_string_equal(cli.output, "r.txt");
	assert_int_equal(cli.format, SIFT_FORMAT_NDJSON);
	assert_string_equal(cli.filter, "host 192.0.2.1");
	assert_string_equal(cli.sel.call_ids[0], "c1");
	assert_int_equal(cli.popts.n_sip_ports, 1);
	assert_int_equal(cli.popts.sip_ports[0], 5070);
	assert_true(cli.quiet);
	assert_int_equal(cli.verbose, 1);

	/* Attached short arguments, bundled flags, --output=. */
	assert_int_equal(parse("-oout.txt", "-qvv", "-fport 5060",
			       "--output=final.txt", "analyze", "f", NULL), 0);
	assert_string_equal(cli.output, "final.txt");
	assert_string_equal(cli.filter, "port 5060");
	assert_true(cli.quiet);
	assert_int_equal(cli.verbose, 2);

	/* The last --format wins; text by name. */
	assert_int_equal(parse("--format", "json", "analyze", "f",
			       "--format", "text", NULL), 0);
	assert_int_equal(cli.format, SIFT_FORMAT_TEXT);
}

/* Options may come before the command, after it and among the files. */
static void test_option_positions(void **state)
{
	(void)state;
	assert_int_equal(parse("-q", "analyze", "a.pcap", "--format", "json",
			       "b.pcap", "-v", "c.pcap.gz", "--sip-port",
			       "5080", NULL), 0);
	assert_int_equal(cli.cmd, SIFT_CMD_ANALYZE);
	assert_true(cli.quiet);
	assert_int_equal(cli.verbose, 1);
	assert_int_equal(cli.format, SIFT_FORMAT_JSON);
	assert_int_equal(cli.popts.n_sip_ports, 1);
	assert_int_equal(cli.popts.sip_ports[0], 5080);
	assert_int_equal(cli.nfiles, 3);
	assert_string_equal(cli.files[0], "a.pcap");
	assert_string_equal(cli.files[1], "b.pcap");
	assert_string_equal(cli.files[2], "c.pcap.gz");

	/* Options only after the command. */
	assert_int_equal(parse("analyze", "-o", "o.json", "--call-id", "X",
			       "one.pcap", NULL), 0);
	assert_string_equal(cli.output, "o.json");
	assert_string_equal(cli.sel.call_ids[0], "X");
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "one.pcap");

	/* A file named like the command is a file once the command is
	 * known; stdin as a file. */
	assert_int_equal(parse("analyze", "analyze", "-", NULL), 0);
	assert_int_equal(cli.nfiles, 2);
	assert_string_equal(cli.files[0], "analyze");
	assert_string_equal(cli.files[1], "-");
}

static void test_sip_port_cap(void **state)
{
	char port[16], want[128];

	(void)state;
	args_reset();
	for (int i = 0; i < SIFT_MAX_SIP_PORTS; i++) {
		snprintf(port, sizeof(port), "%d", 6000 + i);
		arg("--sip-port");
		arg(port);
	}
	arg("analyze");
	arg("f.pcap");
	assert_int_equal(parse_args(), 0);
	assert_int_equal(cli.popts.n_sip_ports, SIFT_MAX_SIP_PORTS);
	for (int i = 0; i < SIFT_MAX_SIP_PORTS; i++)
		assert_int_equal(cli.popts.sip_ports[i], 6000 + i);

	/* One more is refused, not written past the array. */
	args_reset();
	for (int i = 0; i <= SIFT_MAX_SIP_PORTS; i++) {
		snprintf(port, sizeof(port), "%d", 6000 + i);
		arg("--sip-port");
		arg(port);
	}
	arg("analyze");
	arg("f.pcap");
	assert_int_equal(parse_args(), 2);
	snprintf(want, sizeof(want), "too many --sip-port options (at most %d)",
		 SIFT_MAX_SIP_PORTS);
	expect_usage(want);
}

static void test_bad_ports(void **state)
{
	static const char *bad[] = { "0", "65536", "12a", "", "-1", " 80",
				     "80 ", "+80", "0x50", "99999999999999999999" };
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse("analyze", "f", "--sip-port", bad[i],
				       NULL), 2);
		snprintf(want, sizeof(want),
			 "--sip-port wants a port number 1-65535, not '%s'",
			 bad[i]);
		expect_usage(want);
	}
	assert_int_equal(parse("analyze", "f", "--sip-port", "65535",
			       "--sip-port", "1", "--sip-port", "05060", NULL), 0);
	assert_int_equal(cli.popts.n_sip_ports, 3);
	assert_int_equal(cli.popts.sip_ports[0], 65535);
	assert_int_equal(cli.popts.sip_ports[1], 1);
	assert_int_equal(cli.popts.sip_ports[2], 5060);
}

/* --rate and --call: decimal only, in range, no wrap however long. */
static void test_bad_numbers(void **state)
{
	static const char *bad_rate[] = { "7999", "192001", "12k", "", "-8000",
					  " 8000", "8000 ", "+8000",
					  "99999999999999999999999" };
	static const char *bad_call[] = { "0", "4294967296", "x", "", "-1",
					  "1 ", "+1", "18446744073709551617" };
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_rate) / sizeof(bad_rate[0]); i++) {
		assert_int_equal(parse("audio", "-d", "x", "--rate", bad_rate[i],
				       "f", NULL), 2);
		snprintf(want, sizeof(want),
			 "--rate wants a sample rate 8000-192000, not '%s'",
			 bad_rate[i]);
		expect_usage(want);
	}
	for (size_t i = 0; i < sizeof(bad_call) / sizeof(bad_call[0]); i++) {
		assert_int_equal(parse("calls", "--call", bad_call[i], "f", NULL), 2);
		snprintf(want, sizeof(want),
			 "--call wants a call number from the calls list, not '%s'",
			 bad_call[i]);
		expect_usage(want);
	}
	assert_int_equal(parse("audio", "-d", "x", "--rate", "008000", "f", NULL), 0);
	assert_int_equal(cli.audio.rate, 8000);
	assert_int_equal(parse("audio", "-d", "x", "--rate", "192000", "f", NULL), 0);
	assert_int_equal(cli.audio.rate, 192000);
	assert_int_equal(parse("calls", "--call", "4294967295", "f", NULL), 0);
	assert_int_equal(cli.sel.calls[0], 4294967295u);
	assert_int_equal(parse("calls", "--call", "07", "f", NULL), 0);
	assert_int_equal(cli.sel.calls[0], 7);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse("frobnicate", "f", NULL), 2);
	expect_usage_hint("unknown command 'frobnicate' (");
	assert_non_null(strstr(err, "analyze"));
	assert_int_equal(parse("-q", "Analyze", "f", NULL), 2);
	expect_usage_hint("unknown command 'Analyze' (");

	assert_int_equal(parse("analyze", "f", "-x", NULL), 2);
	expect_usage("unknown option '-x'");
	assert_int_equal(parse("-Z", "analyze", "f", NULL), 2);
	expect_usage("unknown option '-Z'");
	assert_int_equal(parse("analyze", "--bogus", "f", NULL), 2);
	expect_usage("unknown option '--bogus'");
	assert_int_equal(parse("--bogus=1", "analyze", "f", NULL), 2);
	expect_usage("unknown option '--bogus'");

	assert_int_equal(parse("analyze", "f", "--format", "xml", NULL), 2);
	expect_usage("unknown format 'xml' (text, json, ndjson, junit or html)");
	assert_int_equal(parse("--format", "JSON", "analyze", "f", NULL), 2);
	expect_usage("unknown format 'JSON' (text, json, ndjson, junit or html)");
	assert_int_equal(parse("--format=", "analyze", "f", NULL), 2);
	expect_usage("unknown format '' (text, json, ndjson, junit or html)");
}

static void test_missing_argument(void **state)
{
	(void)state;
	assert_int_equal(parse("analyze", "f", "--format", NULL), 2);
	expect_usage("option '--format' needs an argument");
	assert_int_equal(parse("analyze", "f", "-o", NULL), 2);
	expect_usage("option '-o' needs an argument");
	assert_int_equal(parse("analyze", "f", "-f", NULL), 2);
	expect_usage("option '-f' needs an argument");
	assert_int_equal(parse("analyze", "f", "--sip-port", NULL), 2);
	expect_usage("option '--sip-port' needs an argument");
	assert_int_equal(parse("analyze", "f", "--call-id", NULL), 2);
	expect_usage("option '--call-id' needs an argument");
	assert_int_equal(parse("analyze", "f", "--output", NULL), 2);
	expect_usage("option '--output' needs an argument");
}

static void test_no_command_no_file(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 2);
	expect_usage_hint("no command given (try: sipsift ");
	assert_int_equal(parse("-q", "--format", "json", NULL), 2);
	expect_usage_hint("no command given (try: sipsift ");
	assert_int_equal(parse("analyze", NULL), 2);
	expect_usage("no capture file given");
	assert_int_equal(parse("analyze", "-v", "-o", "x", NULL), 2);
	expect_usage("no capture file given");
}

static void test_stdin_twice(void **state)
{
	(void)state;
	assert_int_equal(parse("analyze", "-", "a.pcap", "-", NULL), 2);
	expect_usage("standard input (-) given more than once");
	assert_int_equal(parse("analyze", "-", NULL), 0);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "-");
}

static void test_help_version(void **state)
{
	(void)state;
	assert_int_equal(parse("--help", NULL), 0);
	assert_true(cli.help);
	assert_false(cli.version);
	assert_int_equal(cli.cmd, SIFT_CMD_NONE);
	assert_int_equal(parse("-h", NULL), 0);
	assert_true(cli.help);
	assert_int_equal(parse("--version", NULL), 0);
	assert_true(cli.version);
	assert_false(cli.help);
	assert_int_equal(cli.cmd, SIFT_CMD_NONE);
	/* With a command but no file, help still wins over the usage error. */
	assert_int_equal(parse("analyze", "--help", NULL), 0);
	assert_true(cli.help);
	assert_int_equal(cli.cmd, SIFT_CMD_ANALYZE);
	/* A usage error found while parsing is still one. */
	assert_int_equal(parse("--help", "--format", "xml", NULL), 2);
	expect_usage("unknown format 'xml' (text, json, ndjson, junit or html)");
}

static void test_usage_text(void **state)
{
	FILE *f = tmpfile();
	char buf[8192];
	size_t n;

	(void)state;
	assert_non_null(f);
	sift_cli_usage(f);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_true(strncmp(buf, "Usage: sipsift", 14) == 0);
	/* Every long option is documented. */
	assert_non_null(strstr(buf, "--output"));
	assert_non_null(strstr(buf, "--format"));
	assert_non_null(strstr(buf, "--filter"));
	assert_non_null(strstr(buf, "--call-id"));
	assert_non_null(strstr(buf, "--sip-port"));
	assert_non_null(strstr(buf, "--quiet"));
	assert_non_null(strstr(buf, "--verbose"));
	assert_non_null(strstr(buf, "--version"));
	assert_non_null(strstr(buf, "--help"));
	assert_non_null(strstr(buf, "--time abs|rel|delta"));
	assert_non_null(strstr(buf, "--color auto|always|never"));
	assert_non_null(strstr(buf, "analyze"));
	assert_non_null(strstr(buf, "--number"));
	assert_non_null(strstr(buf, "--since"));
}

/* BUG: a parse that stops in the middle of bundled short options leaves
 * getopt state behind for the next parse (fuzzers, tests, a library user
 * parsing twice): src/cli.c sets optind = 1 where glibc needs optind = 0 to
 * start afresh, so the next parse goes on with the stale "q" of "-Zq". */
static void test_reparse_after_bundle_error(void **state)
{
	(void)state;
	no_getopt_reset = true;
	assert_int_equal(parse("-Zq", "analyze", "f", NULL), 2);
	expect_usage("unknown option '-Z'");
	assert_int_equal(parse("analyze", "g", NULL), 0);
	assert_false(cli.quiet);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "g");
}

/* BUG: "--" does not end the options: a file whose name starts with '-'
 * cannot be given. */
static void test_double_dash(void **state)
{
	(void)state;
	assert_int_equal(parse("analyze", "--", "-odd.pcap", NULL), 0);
	assert_null(cli.output);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "-odd.pcap");
}

/* BUG: an argument given to a flag ("--quiet=yes") is reported as
 * "unknown option '-q'", naming an option that exists and that the user
 * did not type. */
static void test_flag_with_argument(void **state)
{
	(void)state;
	assert_int_equal(parse("--quiet=yes", "analyze", "f", NULL), 2);
	assert_null(strstr(err, "'-q'"));
	assert_non_null(strstr(err, "--quiet"));
}

#define T(f) cmocka_unit_test_setup(f, setup)

/* BUG: a missing argument at the end of bundled short options names the
 * whole bundle ("option '-qo' needs an argument") instead of the option;
 * getopt's optopt says which one it was. */
static void test_missing_argument_bundled(void **state)
{
	(void)state;
	assert_int_equal(parse("analyze", "f", "-qo", NULL), 2);
	expect_usage("option '-o' needs an argument");
}

/* --time and --color (issue #13): the words, and nothing else. */
static void test_time_color(void **state)
{
	(void)state;
	assert_int_equal(parse("calls", "a.pcap", NULL), 0);
	assert_int_equal(cli.time, SIFT_TIME_ABS);
	assert_int_equal(cli.color, SIFT_COLOR_AUTO);
	assert_int_equal(parse("flow", "--time", "rel", "--color=never", "a", NULL), 0);
	assert_int_equal(cli.time, SIFT_TIME_REL);
	assert_int_equal(cli.color, SIFT_COLOR_NEVER);
	assert_int_equal(parse("dtmf", "--time=delta", "--colour", "always", "a", NULL), 0);
	assert_int_equal(cli.time, SIFT_TIME_DELTA);
	assert_int_equal(cli.color, SIFT_COLOR_ALWAYS);
	assert_int_equal(parse("calls", "--time", "absolute", "a", NULL), 2);
	expect_usage("--time wants abs, rel or delta, not 'absolute'");
	assert_int_equal(parse("calls", "--color", "yes", "a", NULL), 2);
	expect_usage("--color wants auto, always or never, not 'yes'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_minimal),
		T(test_report_html),
		T(test_every_option_short),
		T(test_every_option_long),
		T(test_option_positions),
		T(test_sip_port_cap),
		T(test_bad_ports),
		T(test_bad_numbers),
		T(test_unknown),
		T(test_missing_argument),
		T(test_no_command_no_file),
		T(test_stdin_twice),
		T(test_help_version),
		T(test_usage_text),
		T(test_time_color),
		T(test_reparse_after_bundle_error),
		T(test_double_dash),
		T(test_flag_with_argument),
		T(test_missing_argument_bundled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
