/* sipsift — command line parsing. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "tls/tls.h"
#include "util/span.h"

enum {
	OPT_FORMAT = 256,
	OPT_CALL_ID,
	OPT_SIP_PORT,
	OPT_VERSION,
	OPT_CALL,
	OPT_INVITE,
	OPT_FAIL_ON,
	OPT_RULES,
	OPT_LIST_RULES,
	OPT_ALL,
	OPT_KEY,
	OPT_KEYFILE,
	OPT_RTP_HEURISTIC,
	OPT_INBAND,
	OPT_RAW,
	OPT_MONO,
	OPT_STEREO,
	OPT_RATE,
	OPT_TLS_KEYLOG,
	OPT_TLS_KEY,
	OPT_JITTER_BUFFER,
	OPT_TIME,
	OPT_COLOR,
	OPT_FROM,
	OPT_TO,
	OPT_NUMBER,
	OPT_STATE,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_FRAME,
	OPT_SIP_ONLY,
	OPT_DECRYPT,
	OPT_EMBED_AUDIO
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "write", required_argument, NULL, 'w' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "filter", required_argument, NULL, 'f' },
	{ "call-id", required_argument, NULL, OPT_CALL_ID },
	{ "sip-port", required_argument, NULL, OPT_SIP_PORT },
	{ "call", required_argument, NULL, OPT_CALL },
	{ "invite", no_argument, NULL, OPT_INVITE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "number", required_argument, NULL, OPT_NUMBER },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "frame", required_argument, NULL, OPT_FRAME },
	{ "sip-only", no_argument, NULL, OPT_SIP_ONLY },
	{ "decrypt", no_argument, NULL, OPT_DECRYPT },
	{ "embed-audio", no_argument, NULL, OPT_EMBED_AUDIO },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "keyfile", required_argument, NULL, OPT_KEYFILE },
	{ "tls-keylog", required_argument, NULL, OPT_TLS_KEYLOG },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "rtp-heuristic", required_argument, NULL, OPT_RTP_HEURISTIC },
	{ "inband", no_argument, NULL, OPT_INBAND },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "jitter-buffer", required_argument, NULL, OPT_JITTER_BUFFER },
	{ "dir", required_argument, NULL, 'd' },
	{ "mono", no_argument, NULL, OPT_MONO },
	{ "stereo", no_argument, NULL, OPT_STEREO },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Each command with its help text (lines after the first indented). */
static const struct {
	const char *name;
	enum sift_command cmd;
	const char *help;
} commands[] = {
	{ "calls", SIFT_CMD_CALLS,
	  "one line per call: start, from, to, state, final status,\n"
	  "setup time, duration, messages, transports, RTP\n"
	  "streams, loss %, max jitter, DTMF digits, reason" },
	{ "flow", SIFT_CMD_FLOW,
	  "each call as a ladder diagram (use --call or --call-id)" },
	{ "lint", SIFT_CMD_LINT,
	  "the findings of the RFC rules, one per line, as a\n"
	  "compiler prints them (--format json or junit for CI)" },
	{ "decrypt", SIFT_CMD_DECRYPT,
	  "write the capture with SRTP/SRTCP replaced by plain\n"
	  "RTP/RTCP (-w FILE), for Wireshark's RTP player" },
	{ "dtmf", SIFT_CMD_DTMF,
	  "each call's DTMF digits in order: time, duration,\n"
	  "direction, source (RFC 4733 events, SIP INFO,\n"
	  "tones in the audio with --inband)" },
	{ "analyze", SIFT_CMD_ANALYZE,
	  "the full report: inputs, summary, calls, streams,\n"
	  "findings" },
	{ "audio", SIFT_CMD_AUDIO,
	  "write each call's audio as WAV files (-d DIR): one per\n"
	  "stream direction and one stereo file (caller left,\n"
	  "callee right); lists the files written" },
	{ "report", SIFT_CMD_REPORT,
	  "the full report as one self-contained HTML page\n"
	  "(-o FILE.html): calls table, ladders, streams" },
	{ "show", SIFT_CMD_SHOW,
	  "the full text of every SIP message of the selected\n"
	  "calls (or --frame N), each under a line with its frame,\n"
	  "times, addresses and transport" },
	{ "extract", SIFT_CMD_EXTRACT,
	  "write the packets of the selected calls (-w FILE):\n"
	  "their SIP and their RTP/RTCP, byte for byte" },
};

#define ALL_CMDS 0xfe
#define CMD(c) (1u << (c))

/* Each option, the commands it is for (a bit per enum sift_command; bit 0:
 * shown only in the general help), and its help lines. */
static const struct {
	unsigned cmds;
	const char *text;
} options_help[] = {
	{ ALL_CMDS, "  -o, --output FILE  write the report to FILE instead of stdout\n" },
	{ CMD(SIFT_CMD_DECRYPT) | CMD(SIFT_CMD_EXTRACT),
	  "  -w, --write FILE   decrypt, extract: the pcap to write (- for stdout)\n" },
	{ ALL_CMDS, "      --format FMT   text (default), json, ndjson, junit or html\n" },
	{ ALL_CMDS, "  -f, --filter EXPR  BPF filter applied while reading (pcap-filter(7));\n"
		    "                     widened to keep IP fragments\n" },
	{ CMD(SIFT_CMD_AUDIO) | CMD(SIFT_CMD_ANALYZE) | CMD(SIFT_CMD_REPORT),
	  "  -d, --dir DIR      audio (and analyze, whose report then names the\n"
	  "                     files; report, whose page plays them): the\n"
	  "                     directory for the WAV files (created if missing)\n" },
	{ CMD(SIFT_CMD_REPORT),
	  "      --embed-audio  report: the WAV files of -d DIR inside the page\n"
	  "                     (up to 16 MiB in all; the others stay linked)\n" },
	{ CMD(SIFT_CMD_AUDIO) | CMD(SIFT_CMD_ANALYZE),
	  "      --mono         audio: only the per-direction files\n"
	  "      --stereo       audio: only the stereo file of each call\n"
	  "      --rate HZ      audio: resample every file to HZ (8000-192000);\n"
	  "                     default: the codec's rate\n" },
	{ ALL_CMDS, "      --call N       only call number N of the calls list (repeatable)\n"
		    "      --call-id ID   only the call with this Call-ID (repeatable)\n"
		    "      --from PAT     only calls whose From URI holds PAT (a shell\n"
		    "                     pattern when it has * ? or [; any case)\n"
		    "      --to PAT       the same for the To URI\n"
		    "      --number DIGITS\n"
		    "                     only calls with a From, To, Request-URI or\n"
		    "                     P-Asserted-Identity number ending in DIGITS\n"
		    "                     (+ spaces dashes dots ignored)\n"
		    "      --state STATE  only calls in STATE (answered, ended, cancelled,\n"
		    "                     rejected, failed, no-answer, no-ack, in-progress;\n"
		    "                     comma-separated)\n"
		    "      --since TIME   only calls that start at TIME or later: +SECONDS\n"
		    "                     after the capture's start (s, m, h may follow),\n"
		    "                     YYYY-MM-DD HH:MM[:SS] (UTC), HH:MM[:SS], @EPOCH\n"
		    "      --until TIME   only calls that start at TIME or earlier\n" },
	{ CMD(SIFT_CMD_SHOW), "      --frame N      show: only the SIP message in frame N (repeatable)\n" },
	{ CMD(SIFT_CMD_EXTRACT),
	  "      --sip-only     extract: the SIP packets only, no media\n"
	  "      --decrypt      extract: SRTP/SRTCP written as plain RTP/RTCP, as\n"
	  "                     decrypt -w writes them\n" },
	{ CMD(SIFT_CMD_CALLS), "      --invite       calls: list INVITE calls only\n" },
	{ CMD(SIFT_CMD_CALLS) | CMD(SIFT_CMD_FLOW) | CMD(SIFT_CMD_DTMF),
	  "      --time abs|rel|delta\n"
	  "                     times as UTC time of day (default), since the call's\n"
	  "                     start (calls: the capture's), or since the line before\n" },
	{ ALL_CMDS, "      --color auto|always|never\n"
		    "                     colour states, severities and SDP marks (auto: on a\n"
		    "                     terminal, unless NO_COLOR is set)\n" },
	{ ALL_CMDS, "      --fail-on SEV  exit 1 when a finding is at least SEV: error (lint's\n"
		    "                     default), warning, info, or none\n"
		    "      --rules SPEC   rules to run: ids or groups (cancel, ack, proxy,\n"
		    "                     transport, syntax, media, all), +enable -disable,\n"
		    "                     comma-separated\n" },
	{ 1u | CMD(SIFT_CMD_LINT), "      --list-rules   print every lint rule and exit\n" },
	{ 1u | CMD(SIFT_CMD_LINT), "      --all          list every finding; without it a finding repeated\n"
				   "                     across calls is one line with its count\n" },
	{ ALL_CMDS, "      --key SPEC     an SRTP key by hand, for media whose SDP is not in the\n"
		    "                     capture: SENDER=SUITE:inline:KEY, SENDER being the\n"
		    "                     ADDR:PORT the stream is sent from (optional /SSRC)\n"
		    "                     or any (repeatable)\n"
		    "      --keyfile FILE one --key SPEC per line (# comments)\n" },
	{ ALL_CMDS, "      --tls-keylog FILE\n"
		    "                     TLS secrets (NSS key log: CLIENT_RANDOM, TLS 1.3\n"
		    "                     traffic secrets) to read SIP over TLS (repeatable)\n"
		    "      --tls-key [ADDR:PORT=]FILE.pem\n"
		    "                     a TLS server's RSA private key, for TLS 1.2 RSA key\n"
		    "                     exchange (repeatable)\n" },
	{ CMD(SIFT_CMD_DTMF) | CMD(SIFT_CMD_CALLS) | CMD(SIFT_CMD_ANALYZE) |
	  CMD(SIFT_CMD_LINT),
	  "      --inband       dtmf, calls, analyze, lint: also find DTMF tones in\n"
	  "                     the audio (decodes every stream: slower; lint's\n"
	  "                     dtmf-double then sees tones too)\n" },
	{ CMD(SIFT_CMD_ANALYZE),
	  "      --raw          analyze (JSON, NDJSON): each message's SDP as sent\n"
	  "                     too (sdp_raw), beside its summary\n" },
	{ CMD(SIFT_CMD_CALLS) | CMD(SIFT_CMD_ANALYZE) | CMD(SIFT_CMD_REPORT),
	  "      --jitter-buffer MS\n"
	  "                     the fixed jitter buffer the quality score assumes,\n"
	  "                     0-1000 ms (default 60; 0: no late discards)\n" },
	{ ALL_CMDS, "      --rtp-heuristic on|off\n"
		    "                     find RTP that no SDP announced by its headers\n"
		    "                     (default on; reported with rtp-no-signalling)\n"
		    "      --sip-port N   also treat text on port N as SIP (repeatable;\n"
		    "                     SIP is found by content on any port)\n"
		    "  -j, --jobs N       1: one thread; 2 or more: a second reads the\n"
		    "                     input and parses SIP ahead (the same output;\n"
		    "                     default 2 on 2 cores when lint rules run and\n"
		    "                     a quarter of the first packets are SIP/UDP)\n"
		    "  -q, --quiet        no notes or warnings on stderr, errors only\n"
		    "  -v, --verbose      more detail on stderr\n" },
	{ 1u, "      --version      print the version and exit\n" },
	{ ALL_CMDS, "  -h, --help         print this help and exit\n" },
};

/* The command's help lines, the first after its name, the others under
 * it. */
static void command_help(FILE *f, const char *text, int indent, bool first_too)
{
	bool first = true;

	while (*text) {
		size_t n = strcspn(text, "\n");

		fprintf(f, "%*s%.*s\n", first && !first_too ? 0 : indent, "",
			(int)n, text);
		text += n + (text[n] == '\n');
		first = false;
	}
}

void sift_cli_usage_cmd(FILE *f, enum sift_command cmd)
{
	size_t nc = sizeof(commands) / sizeof(commands[0]);
	unsigned bit = cmd == SIFT_CMD_NONE ? 1u : CMD(cmd);

	if (cmd == SIFT_CMD_NONE) {
		fputs("Usage: sipsift [options] <command> [options] FILE...\n"
		      "       sipsift help <command>\n"
		      "\n"
		      "Reads pcap/pcapng captures (several files are merged by time; - is stdin;\n"
		      ".gz is read directly) and reports the SIP found in them.\n"
		      "\n"
		      "Commands:\n", f);
		for (size_t i = 0; i < nc; i++) {
			fprintf(f, "  %-19s", commands[i].name);
			command_help(f, commands[i].help, 21, false);
		}
	} else {
		for (size_t i = 0; i < nc; i++)
			if (commands[i].cmd == cmd) {
				fprintf(f, "Usage: sipsift %s [options] FILE...\n\n",
					commands[i].name);
				command_help(f, commands[i].help, 0, true);
			}
	}
	fputs("\nOptions:\n", f);
	for (size_t i = 0; i < sizeof(options_help) / sizeof(options_help[0]); i++)
		if ((options_help[i].cmds & bit) || cmd == SIFT_CMD_NONE)
			fputs(options_help[i].text, f);
	fputs("\n"
	      "Exit status: 0 success, 1 findings at or above --fail-on (lint: any\n"
	      "error), 2 usage error, 3 input error, 4 output error, 5 internal error.\n"
	      "See sipsift(1).\n", f);
}

void sift_cli_usage(FILE *f)
{
	sift_cli_usage_cmd(f, SIFT_CMD_NONE);
}

/* A port number 1-65535, digits only (no atoi: it accepts "12abc"). */
static bool parse_port(const char *s, uint16_t *out)
{
	uint32_t v;

	if (!sift_span_u32(sift_span_cstr(s), 65535, &v) || v == 0)
		return false;
	*out = (uint16_t)v;
	return true;
}

#define USAGE(...) do { snprintf(err, errlen, __VA_ARGS__); return 2; } while (0)

/* SENDER=SUITE:inline:KEY. SENDER: any, ADDR:PORT, [V6]:PORT, then an
 * optional /SSRC (0x hex or decimal). */
static int parse_key(struct sift_cli *cli, const char *spec, char *err,
		     size_t errlen)
{
	struct sift_pipeline_opts *o = &cli->popts;
	struct sift_hand_key *k;
	const char *eq = strchr(spec, '=');
	char sender[96], why[160];
	char *slash, *colon, *host;

	if (o->nkeys >= SIFT_MAX_HAND_KEYS)
		USAGE("too many keys (at most %d)", SIFT_MAX_HAND_KEYS);
	if (!eq || (size_t)(eq - spec) >= sizeof(sender))
		USAGE("--key wants SENDER=SUITE:inline:KEY, not '%s'", spec);
	k = &cli->keys[o->nkeys];
	memset(k, 0, sizeof(*k));
	snprintf(sender, sizeof(sender), "%.*s", (int)(eq - spec), spec);
	if (sift_sdes_parse_key(eq + 1, &k->sd, why, sizeof(why)) != SIFT_OK)
		USAGE("--key %s: %s", sender, why);
	if (strcmp(sender, "any") != 0) {
		uint32_t port;
		char *end;

		slash = strchr(sender, '/');
		if (slash) {
			*slash = '\0';
			errno = 0;
			k->ssrc = (uint32_t)strtoul(slash + 1, &end, 0);
			if (errno || *end || end == slash + 1)
				USAGE("--key: bad SSRC '%s'", slash + 1);
			k->has_ssrc = true;
		}
		colon = strrchr(sender, ':');
		if (!colon)
			USAGE("--key: the sender '%s' needs ADDR:PORT", sender);
		*colon = '\0';
		if (!sift_span_u32(sift_span_cstr(colon + 1), 65535, &port) ||
		    port == 0)
			USAGE("--key: bad port in '%s'", spec);
		host = sender;
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			host[strlen(host) - 1] = '\0';
			host++;
		}
		if (inet_pton(AF_INET, host, k->sender.ip) == 1)
			k->sender.family = 4;
		else if (inet_pton(AF_INET6, host, k->sender.ip) == 1)
			k->sender.family = 6;
		else
			USAGE("--key: '%s' is no IP address", host);
		k->sender.port = (uint16_t)port;
	}
	o->keys = cli->keys;
	o->nkeys++;
	return 0;
}

/* A key file is a few lines: anything near this is not one. */
#define KEYFILE_MAX (1u << 20)

/* Reads a small text file the user names (not a capture) whole into a
 * NUL-terminated buffer: only a regular file (a FIFO, /dev/zero or a
 * directory would hang or mean nothing), at most max bytes. Opened
 * non-blocking so that a FIFO is refused rather than waited on. Returns
 * NULL with the reason in why. */
static char *read_small_file(const char *path, size_t max, size_t *len,
			     char *why, size_t whylen)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto out;
	}
	buf = malloc(max + 1);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, max + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "%s", strerror(errno));
			free(buf);
			buf = NULL;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			snprintf(why, whylen, "larger than %zu bytes: not a key file", max);
			free(buf);
			buf = NULL;
			goto out;
		}
	}
	buf[n] = '\0';
	*len = n;
out:
	close(fd);
	return buf;
}

static int parse_keyfile(struct sift_cli *cli, const char *path, char *err,
			 size_t errlen)
{
	char why[128];
	size_t len = 0;
	char *text = read_small_file(path, KEYFILE_MAX, &len, why, sizeof(why));
	char *line;
	unsigned no = 0;
	int rc = 0;

	if (!text)
		USAGE("--keyfile %s: %s", path, why);
	/* Whole lines of any length, numbered as an editor numbers them. */
	for (line = text; line < text + len && !rc;) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		char *end = nl ? nl : text + len;
		char *p = line, *e = end;

		no++;
		if (memchr(line, '\0', (size_t)(end - line))) {
			snprintf(err, errlen, "%s:%u: a NUL byte in the line", path, no);
			rc = 2;
			break;
		}
		*end = '\0';
		line = end + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*p || *p == '#')
			continue;
		if (parse_key(cli, p, err, errlen)) {
			char inner[256];

			snprintf(inner, sizeof(inner), "%s", err);
			snprintf(err, errlen, "%s:%u: %s", path, no, inner);
			rc = 2;
		}
	}
	free(text);
	return rc;
}

/* The command first, then files; files are collected in place at the front
 * of argv (never past the argument being read). */
static int non_option(struct sift_cli *cli, char **argv, char *arg, char *err,
		      size_t errlen)
{
	if (cli->cmd == SIFT_CMD_NONE && !cli->nfiles) {
		size_t i;

		/* "sipsift help CMD" is "sipsift CMD --help". */
		if (strcmp(arg, "help") == 0) {
			cli->help = true;
			return 0;
		}

		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(arg, commands[i].name) == 0)
				break;
		if (i == sizeof(commands) / sizeof(commands[0]))
			USAGE("unknown command '%s' (commands: calls, flow, show, lint, decrypt, extract, analyze, dtmf, audio, report)", arg);
		cli->cmd = commands[i].cmd;
		return 0;
	}
	argv[cli->nfiles++] = arg;
	return 0;
}

static enum sift_select_opt select_opt(int c)
{
	switch (c) {
	case OPT_CALL:
		return SIFT_SEL_CALL;
	case OPT_CALL_ID:
		return SIFT_SEL_CALL_ID;
	case OPT_FROM:
		return SIFT_SEL_FROM;
	case OPT_TO:
		return SIFT_SEL_TO;
	case OPT_NUMBER:
		return SIFT_SEL_NUMBER;
	case OPT_STATE:
		return SIFT_SEL_STATE;
	case OPT_SINCE:
		return SIFT_SEL_SINCE;
	case OPT_UNTIL:
		return SIFT_SEL_UNTIL;
	default:
		return SIFT_SEL_FRAME;
	}
}

/* Names the option getopt stopped at: "-x" for a short one (also inside a
 * bundle such as -qo), "--name" without any "=value" for a long one. */
static void option_name(const char *arg, int opt, char *buf, size_t len)
{
	if (strncmp(arg, "--", 2) == 0)
		snprintf(buf, len, "%.*s", (int)strcspn(arg, "="), arg);
	else if (opt > 0 && opt < 256)
		snprintf(buf, len, "-%c", opt);
	else
		snprintf(buf, len, "%s", arg);
}

/* long-function: one getopt loop with a case per option, each a few lines;
 * split up, the options would be scattered over helpers that share the
 * loop's state. */
int sift_cli_parse(int argc, char **argv, struct sift_cli *cli, char *err,
		   size_t errlen)
{
	char name[64];
	bool rate_given = false;
	int c;

	memset(cli, 0, sizeof(*cli));
	sift_lint_cfg_default(&cli->rules);
	cli->fail_on = SIFT_SEV_ERROR;
	opterr = 0;
	/* 0, not 1: glibc then also forgets a half-read bundle such as -Zq
	 * from an earlier parse. */
	optind = 0;
	/* "-": arguments come back in order (code 1), so options may stand
	 * before or after the command and the files; "--" ends options. */
	while ((c = getopt_long(argc, argv, "-:o:w:f:d:j:qvh", long_opts, NULL)) != -1) {
		if (c == 1) {
			if (non_option(cli, argv, optarg, err, errlen))
				return 2;
			continue;
		}
		switch (c) {
		case 'o':
			cli->output = optarg;
			break;
		case 'w':
			cli->write_pcap = optarg;
			break;
		case OPT_FORMAT:
			cli->format_given = true;
			if (strcmp(optarg, "text") == 0)
				cli->format = SIFT_FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				cli->format = SIFT_FORMAT_JSON;
			else if (strcmp(optarg, "ndjson") == 0)
				cli->format = SIFT_FORMAT_NDJSON;
			else if (strcmp(optarg, "junit") == 0)
				cli->format = SIFT_FORMAT_JUNIT;
			else if (strcmp(optarg, "html") == 0)
				cli->format = SIFT_FORMAT_HTML;
			else
				USAGE("unknown format '%s' (text, json, ndjson, junit or html)", optarg);
			break;
		case 'f':
			cli->filter = optarg;
			break;
		case 'd':
			cli->audio.dir = optarg;
			break;
		case OPT_MONO:
			cli->audio.mono = true;
			break;
		case OPT_STEREO:
			cli->audio.stereo = true;
			break;
		case OPT_RATE: {
			uint32_t v;

			if (!sift_span_u32(sift_span_cstr(optarg), 192000, &v) ||
			    v < 8000)
				USAGE("--rate wants a sample rate 8000-192000, not '%s'", optarg);
			cli->audio.rate = (unsigned)v;
			rate_given = true;
			break;
		}
		case OPT_JITTER_BUFFER: {
			uint32_t v;

			if (!sift_span_u32(sift_span_cstr(optarg), 1000, &v))
				USAGE("--jitter-buffer wants milliseconds 0-1000, not '%s'", optarg);
			cli->popts.jb_ms = v;
			cli->popts.jb_set = true;
			break;
		}
		case OPT_TIME:
			if (strcmp(optarg, "abs") == 0)
				cli->time = SIFT_TIME_ABS;
			else if (strcmp(optarg, "rel") == 0)
				cli->time = SIFT_TIME_REL;
			else if (strcmp(optarg, "delta") == 0)
				cli->time = SIFT_TIME_DELTA;
			else
				USAGE("--time wants abs, rel or delta, not '%s'", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				cli->color = SIFT_COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				cli->color = SIFT_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				cli->color = SIFT_COLOR_NEVER;
			else
				USAGE("--color wants auto, always or never, not '%s'", optarg);
			break;
		case OPT_CALL_ID:
		case OPT_CALL:
		case OPT_FROM:
		case OPT_TO:
		case OPT_NUMBER:
		case OPT_STATE:
		case OPT_SINCE:
		case OPT_UNTIL:
		case OPT_FRAME:
			if (sift_select_add(&cli->sel, select_opt(c), optarg, err,
					    errlen) != SIFT_OK)
				return 2;
			break;
		case OPT_SIP_ONLY:
			cli->sip_only = true;
			break;
		case OPT_DECRYPT:
			cli->extract_decrypt = true;
			break;
		case OPT_EMBED_AUDIO:
			cli->embed_audio = true;
			break;
		case OPT_SIP_PORT:
			if (cli->popts.n_sip_ports >= SIFT_MAX_SIP_PORTS)
				USAGE("too many --sip-port options (at most %d)", SIFT_MAX_SIP_PORTS);
			if (!parse_port(optarg, &cli->popts.sip_ports[cli->popts.n_sip_ports]))
				USAGE("--sip-port wants a port number 1-65535, not '%s'", optarg);
			cli->popts.n_sip_ports++;
			break;
		case OPT_INVITE:
			cli->invite_only = true;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				cli->fail_on = SIFT_SEV_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				cli->fail_on = SIFT_SEV_WARNING;
			else if (strcmp(optarg, "info") == 0)
				cli->fail_on = SIFT_SEV_INFO;
			else if (strcmp(optarg, "none") == 0)
				cli->fail_on = -1;
			else
				USAGE("--fail-on wants error, warning, info or none, not '%s'", optarg);
			cli->fail_on_given = true;
			break;
		case OPT_RULES:
			if (sift_lint_cfg_parse(&cli->rules, optarg, err, errlen) != SIFT_OK)
				return 2;
			break;
		case OPT_LIST_RULES:
			cli->list_rules = true;
			break;
		case OPT_ALL:
			cli->lint_all = true;
			break;
		case OPT_KEY:
			if (parse_key(cli, optarg, err, errlen))
				return 2;
			break;
		case OPT_KEYFILE:
			if (parse_keyfile(cli, optarg, err, errlen))
				return 2;
			break;
		case OPT_TLS_KEYLOG:
		case OPT_TLS_KEY: {
			struct sift_tls_keyerr ke = { 0, NULL };
			enum sift_rc krc;

			if (!cli->popts.tls_keys)
				cli->popts.tls_keys = sift_tls_keys_new();
			if (!cli->popts.tls_keys)
				USAGE("out of memory");
			krc = c == OPT_TLS_KEYLOG ?
			      sift_tls_keylog_load(cli->popts.tls_keys, optarg, &ke) :
			      sift_tls_rsa_key_add(cli->popts.tls_keys, optarg, &ke);
			if (krc == SIFT_OK)
				break;
			sift_tls_keys_free(cli->popts.tls_keys);
			cli->popts.tls_keys = NULL;
			if (ke.line)
				USAGE("%s %s: line %zu: %s",
				      c == OPT_TLS_KEYLOG ? "--tls-keylog" : "--tls-key",
				      optarg, ke.line, ke.why ? ke.why : "malformed");
			USAGE("%s %s: %s",
			      c == OPT_TLS_KEYLOG ? "--tls-keylog" : "--tls-key",
			      optarg, ke.why ? ke.why : "cannot be read");
		}
		case OPT_INBAND:
			cli->popts.inband = true;
			break;
		case OPT_RAW:
			cli->popts.raw_sdp = true;
			break;
		case OPT_RTP_HEURISTIC:
			if (strcmp(optarg, "on") == 0)
				cli->popts.no_rtp_heuristic = false;
			else if (strcmp(optarg, "off") == 0)
				cli->popts.no_rtp_heuristic = true;
			else
				USAGE("--rtp-heuristic wants on or off, not '%s'", optarg);
			break;
		case 'j': {
			uint32_t v;

			if (!sift_span_u32(sift_span_cstr(optarg), 1024, &v) || !v)
				USAGE("-j wants a number of threads, 1 or more, not '%s'", optarg);
			cli->jobs = v;
			break;
		}
		case 'q':
			cli->quiet = true;
			break;
		case 'v':
			cli->verbose++;
			break;
		case OPT_VERSION:
			cli->version = true;
			break;
		case 'h':
			cli->help = true;
			break;
		case ':':
			option_name(argv[optind - 1], optopt, name, sizeof(name));
			USAGE("option '%s' needs an argument", name);
		default:
			option_name(argv[optind - 1], optopt, name, sizeof(name));
			if (optopt && strchr(argv[optind - 1], '=') &&
			    strncmp(argv[optind - 1], "--", 2) == 0)
				USAGE("option '%s' takes no argument", name);
			USAGE("unknown option '%s'", name);
		}
	}
	for (; optind < argc; optind++)
		if (non_option(cli, argv, argv[optind], err, errlen))
			return 2;
	cli->files = argv;
	cli->popts.lint = &cli->rules;
	if (cli->help || cli->version || cli->list_rules)
		return 0;
	if (cli->cmd == SIFT_CMD_NONE)
		USAGE("no command given (try: sipsift calls FILE)");
	if (cli->nfiles == 0)
		USAGE("no capture file given");
	/* report: the HTML page unless another format is asked for. */
	if (cli->cmd == SIFT_CMD_REPORT && !cli->format_given)
		cli->format = SIFT_FORMAT_HTML;
	/* The page plots each stream over time: only it pays for the
	 * series. */
	cli->popts.series = cli->format == SIFT_FORMAT_HTML;
	/* The calls table, the ladder and the digits show no finding, and
	 * without --fail-on the exit status asks for none: no rule runs
	 * (lint is a sixth of the work on a SIP-heavy capture). */
	if (cli->format == SIFT_FORMAT_TEXT && !cli->fail_on_given &&
	    (cli->cmd == SIFT_CMD_CALLS || cli->cmd == SIFT_CMD_FLOW ||
	     cli->cmd == SIFT_CMD_DTMF))
		memset(cli->rules.on, 0, sizeof(cli->rules.on));
	if (cli->cmd == SIFT_CMD_DECRYPT && !cli->write_pcap)
		USAGE("decrypt needs -w FILE, the capture to write");
	if (cli->cmd == SIFT_CMD_EXTRACT && !cli->write_pcap)
		USAGE("extract needs -w FILE, the capture to write");
	if (cli->write_pcap && cli->cmd != SIFT_CMD_DECRYPT &&
	    cli->cmd != SIFT_CMD_EXTRACT)
		USAGE("-w is an option of decrypt and extract");
	if (cli->sip_only && cli->cmd != SIFT_CMD_EXTRACT)
		USAGE("--sip-only is an option of extract");
	if (cli->popts.raw_sdp && cli->cmd != SIFT_CMD_ANALYZE)
		USAGE("--raw is an option of analyze");
	if (cli->extract_decrypt && cli->cmd != SIFT_CMD_EXTRACT)
		USAGE("--decrypt is an option of extract");
	/* decrypt with a selection writes the packets of the calls chosen
	 * (a call is chosen when it has ended): extract --decrypt. */
	if (cli->cmd == SIFT_CMD_DECRYPT && sift_select_active(&cli->sel)) {
		cli->cmd = SIFT_CMD_EXTRACT;
		cli->extract_decrypt = true;
		cli->decrypt_selected = true;
	}
	if (cli->sel.nframes && cli->cmd != SIFT_CMD_SHOW)
		USAGE("--frame is an option of show");
	/* show and extract read the inputs twice: once to choose the calls
	 * (a call's state is known when it ends), once to print or copy
	 * what belongs to them. */
	if (cli->cmd == SIFT_CMD_SHOW || cli->cmd == SIFT_CMD_EXTRACT)
		for (int i = 0; i < cli->nfiles; i++)
			if (strcmp(cli->files[i], "-") == 0)
				USAGE("%s reads its input twice: standard input cannot be read again (save the capture to a file first)",
				      cli->cmd == SIFT_CMD_SHOW ? "show" :
				      cli->decrypt_selected ? "decrypt with a selection" :
				      "extract");
	if (cli->cmd == SIFT_CMD_SHOW && cli->format != SIFT_FORMAT_TEXT &&
	    cli->format != SIFT_FORMAT_JSON)
		USAGE("show writes text or json");
	/* analyze -d DIR writes the WAV files too, and its report names
	 * them (streams[].wav). */
	if (cli->embed_audio && (cli->format != SIFT_FORMAT_HTML || !cli->audio.dir))
		USAGE("--embed-audio needs the HTML page (report) and -d DIR, the directory for the WAV files");
	if (cli->cmd == SIFT_CMD_AUDIO ||
	    ((cli->cmd == SIFT_CMD_ANALYZE || cli->cmd == SIFT_CMD_REPORT) &&
	     cli->audio.dir)) {
		if (!cli->audio.dir || !*cli->audio.dir)
			USAGE("audio needs -d DIR, the directory for the WAV files");
		/* Neither or both: every file. */
		if (!cli->audio.mono && !cli->audio.stereo)
			cli->audio.mono = cli->audio.stereo = true;
		cli->popts.audio = &cli->audio;
	} else if (cli->audio.dir || cli->audio.mono || cli->audio.stereo ||
		   rate_given) {
		USAGE("-d, --mono, --stereo and --rate are options of the audio command (and of analyze and report with -d)");
	}
	{
		int stdin_uses = 0;

		for (int i = 0; i < cli->nfiles; i++)
			stdin_uses += strcmp(cli->files[i], "-") == 0;
		if (stdin_uses > 1)
			USAGE("standard input (-) given more than once");
	}
	return 0;
}
