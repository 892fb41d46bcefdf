/* sipsift — call quality score from the ITU-T G.107 (06/2015) E-model.
 *
 * R = Ro - Is - Id - Ie,eff + A (§7.1). The terms that depend only on
 * the parameters we cannot measure (Ro, Is) are computed from G.107's
 * defaults each time (cheap, and the formulas stay readable next to the
 * Recommendation); Id follows the delay Ta, Ie,eff the codec and the
 * loss. Section numbers below are G.107's. */
#include "media/quality.h"

#include <math.h>
#include <string.h>

/* Table 3, default values. */
#define SLR 8.0
#define RLR 2.0
#define STMR 15.0
#define LSTR 18.0
#define DS 3.0
#define TELR 65.0
#define WEPL 110.0
#define QDU 1.0
#define NC (-70.0)
#define NFOR (-64.0)
#define PS 35.0
#define PR 35.0
#define ADV 0.0        /* advantage factor A */
#define BPL_DEFAULT 4.3
#define MT 100.0       /* Idd: mT and sT of §7.3 */
#define ST 1.0

/* G.113 (11/2007) Appendix I: Table I.1 gives Ie, Table I.3 Bpl, both
 * for narrowband codecs. G.722 and Opus are wideband: their planning
 * values (G.113 Appendix IV) are on the wideband scale of G.107.1 and do
 * not carry over; on this narrowband scale they are assumed no worse than
 * G.711 (Ie 0), with G.711's PLC robustness (Bpl 25.1) as their decoders
 * conceal losses at least as well. Look-ahead: G.729 5 ms (its
 * Recommendation), G.722 1.5 ms (its QMF), Opus 6.5 ms (RFC 6716 §2.1,
 * default mode); G.711 none. */
static const struct sift_qcodec_info codecs[] = {
	[SIFT_QCODEC_UNKNOWN] = { "unknown", 0.0, BPL_DEFAULT, 0.0,
				  "G.107 Table 3 defaults" },
	[SIFT_QCODEC_G711] = { "G.711 with PLC", 0.0, 25.1, 0.0,
			       "G.113 Tables I.1, I.3 (PLC of G.711 Appendix I)" },
	[SIFT_QCODEC_G711_NOPLC] = { "G.711 without PLC", 0.0, 4.3, 0.0,
				     "G.113 Tables I.1, I.3" },
	[SIFT_QCODEC_G722] = { "G.722", 0.0, 25.1, 1.5,
			       "assumed: G.722 is wideband, G.113 App. I has no "
			       "narrowband values for it (taken as G.711 with PLC)" },
	[SIFT_QCODEC_G729] = { "G.729", 10.0, 19.0, 5.0,
			       "G.113 Table I.1 (Ie); Bpl assumed that of G.729A+VAD "
			       "(Table I.3)" },
	[SIFT_QCODEC_G729A] = { "G.729A with VAD", 11.0, 19.0, 5.0,
				"G.113 Tables I.1, I.3" },
	[SIFT_QCODEC_OPUS] = { "Opus", 0.0, 25.1, 6.5,
			       "assumed: Opus at typical VoIP rates (>= 16 kbit/s) "
			       "is wideband or better, not in G.113 App. I (taken as "
			       "G.711 with PLC)" },
};

const struct sift_qcodec_info *sift_qcodec_info(enum sift_qcodec c)
{
	if ((unsigned)c >= sizeof(codecs) / sizeof(codecs[0]))
		c = SIFT_QCODEC_UNKNOWN;
	return &codecs[c];
}

static bool name_is(const char *s, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n && want[i]; i++) {
		char a = s[i], b = want[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return i == n && want[i] == '\0';
}

enum sift_qcodec sift_qcodec_by_name(const char *enc, size_t n)
{
	if (!enc)
		return SIFT_QCODEC_UNKNOWN;
	if (name_is(enc, n, "PCMU") || name_is(enc, n, "PCMA"))
		return SIFT_QCODEC_G711;
	if (name_is(enc, n, "G722"))
		return SIFT_QCODEC_G722;
	if (name_is(enc, n, "G729"))
		return SIFT_QCODEC_G729A;
	if (name_is(enc, n, "opus"))
		return SIFT_QCODEC_OPUS;
	return SIFT_QCODEC_UNKNOWN;
}

static double p10(double x)
{
	return pow(10.0, x / 10.0);
}

/* §7.2: the sum of all noise No (dBm0p). */
static double noise_no(void)
{
	double olr = SLR + RLR;
	double nos = PS - SLR - DS - 100.0 + 0.004 * pow(PS - olr - DS - 14.0, 2);
	double pre = PR + 10.0 * log10(1.0 + p10(10.0 - LSTR));
	double nor = RLR - 121.0 + pre + 0.008 * pow(pre - 35.0, 2);
	double nfo = NFOR + RLR;

	return 10.0 * log10(p10(NC) + p10(nos) + p10(nor) + p10(nfo));
}

/* §7.3: the simultaneous impairment Is = Iolr + Ist + Iq; T enters
 * through the weighted echo in STMRo. */
static double impair_is(double ro, double no, double t)
{
	double olr = SLR + RLR;
	double xolr = olr + 0.2 * (64.0 + no - RLR);
	double iolr = 20.0 * (pow(1.0 + pow(xolr / 8.0, 8), 1.0 / 8) - xolr / 8.0);
	double stmro = -10.0 * log10(p10(-STMR) + exp(-t / 4.0) * p10(-TELR));
	double ist = 12.0 * pow(1.0 + pow((stmro - 13.0) / 6.0, 8), 1.0 / 8) -
		     28.0 * pow(1.0 + pow((stmro + 1.0) / 19.4, 35), 1.0 / 35) -
		     13.0 * pow(1.0 + pow((stmro - 3.0) / 33.0, 13), 1.0 / 13) + 29.0;
	double q = 37.0 - 15.0 * log10(QDU);
	double g = 1.07 + 0.258 * q + 0.0602 * q * q;
	double z = 46.0 / 30.0 - g / 40.0;
	double y = (ro - 100.0) / 15.0 + 46.0 / 8.4 - g / 9.0;
	double iq = 15.0 * log10(1.0 + pow(10.0, y) + pow(10.0, z));

	return iolr + ist + iq;
}

/* §7.4: Id = Idte + Idle + Idd, with T = Ta and Tr = 2 Ta. */
static double impair_id(double ro, double no, double ta)
{
	double t = ta, tr = 2.0 * ta;
	double terv = TELR - 40.0 * log10((1.0 + t / 10.0) / (1.0 + t / 150.0)) +
		      6.0 * exp(-0.3 * t * t);
	double re = 80.0 + 2.5 * (terv - 14.0);
	double roe = -1.5 * (no - RLR);
	double idte = ((roe - re) / 2.0 + sqrt(pow(roe - re, 2) / 4.0 + 100.0) - 1.0) *
		      (1.0 - exp(-t));
	double rle = 10.5 * (WEPL + 7.0) * pow(tr + 1.0, -0.25);
	double idle = (ro - rle) / 2.0 + sqrt(pow(ro - rle, 2) / 4.0 + 169.0);
	double idd = 0.0;

	if (ta > MT) {
		double x = log10(ta / MT) / log10(2.0);

		idd = 25.0 * (pow(1.0 + pow(x, 6.0 * ST), 1.0 / (6.0 * ST)) -
			      3.0 * pow(1.0 + pow(x / 3.0, 6.0 * ST), 1.0 / (6.0 * ST)) + 2.0);
	}
	return idte + idle + idd;
}

void sift_quality_score(const struct sift_quality_in *in, struct sift_quality *out)
{
	const struct sift_qcodec_info *ci = sift_qcodec_info(in->codec);
	double no = noise_no();
	double ro = 15.0 - 1.5 * (SLR + no);
	double ta = in->ta_ms > 0 ? in->ta_ms : 0.0;
	double ppl = in->ppl < 0 ? 0.0 : in->ppl > 100.0 ? 100.0 : in->ppl;
	double burst = in->burst_r >= 1.0 ? in->burst_r : 1.0;
	double r;

	/* §7.5: Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl). */
	out->ie_eff = ci->ie + (95.0 - ci->ie) * ppl / (ppl / burst + ci->bpl);
	out->id = impair_id(ro, no, ta);
	r = ro - impair_is(ro, no, ta) - out->id - out->ie_eff + ADV;
	out->r = r < 0 ? 0.0 : r > 100.0 ? 100.0 : r;
	out->mos = sift_quality_mos(r);
}

/* Annex B's polynomial dips below 1 for 0 < R < 6.5 (its slope at 0 is
 * 0.035 - 0.042): the MOS scale starts at 1, so does the result. */
double sift_quality_mos(double r)
{
	double m;

	if (r <= 0)
		return 1.0;
	if (r >= 100.0)
		return 4.5;
	m = 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
	return m < 1.0 ? 1.0 : m;
}

double sift_quality_ppl(uint64_t expected, uint64_t lost, uint64_t late)
{
	double bad = (double)lost + (double)late;

	if (!expected)
		return 0.0;
	if (bad > (double)expected)
		bad = (double)expected;
	return 100.0 * bad / (double)expected;
}

double sift_quality_burst_r(const struct sift_rtpstat_pattern *pat)
{
	uint64_t from_ok = pat->ok_ok + pat->ok_lost;
	uint64_t from_lost = pat->lost_ok + pat->lost_lost;
	double p, q, b;

	if (!pat->ok_lost || !from_ok || !pat->lost_ok)
		return 1.0;
	p = (double)pat->ok_lost / (double)from_ok;
	q = (double)pat->lost_ok / (double)from_lost;
	b = 1.0 / (p + q);
	return b < 1.0 ? 1.0 : b;
}

double sift_quality_ta(double rtt_ms, double jb_ms, double ptime_ms,
		       enum sift_qcodec c)
{
	double net = rtt_ms >= 0 ? rtt_ms / 2.0 : SIFT_QUALITY_NET_MS;
	double pt = ptime_ms > 0 ? ptime_ms : SIFT_QUALITY_PTIME_MS;

	return net + (jb_ms > 0 ? jb_ms : 0.0) + pt + sift_qcodec_info(c)->lookahead_ms;
}

void sift_quality_stream(const struct sift_rtpstat *st, enum sift_qcodec c,
			 double rtt_ms, double ptime_ms, struct sift_quality *out)
{
	struct sift_rtpstat_pattern pat;
	struct sift_quality_in in;

	sift_rtpstat_pattern(st, &pat);
	in.codec = c;
	in.ppl = sift_quality_ppl(sift_rtpstat_expected(st),
				  (uint64_t)sift_rtpstat_lost(st), st->jb_late);
	in.burst_r = sift_quality_burst_r(&pat);
	in.ta_ms = sift_quality_ta(rtt_ms, st->jb_ms, ptime_ms, c);
	sift_quality_score(&in, out);
}

bool sift_quality_of_stream(const struct sift_stream *s,
			    struct sift_stream_quality *out)
{
	const char *slash;
	struct sift_rtpstat_pattern pat;
	struct sift_quality_in in;
	enum sift_qcodec c;
	uint64_t expected;

	if (s->rtcp || !s->codec[0])
		return false;
	slash = strchr(s->codec, '/');
	c = sift_qcodec_by_name(s->codec, slash ? (size_t)(slash - s->codec) :
				strlen(s->codec));
	expected = sift_rtpstat_expected(&s->rs);
	if (c == SIFT_QCODEC_UNKNOWN || !expected)
		return false;
	sift_rtpstat_pattern(&s->rs, &pat);
	in.codec = c;
	in.ppl = sift_quality_ppl(expected, (uint64_t)sift_rtpstat_lost(&s->rs),
				  s->rs.jb_late);
	in.burst_r = sift_quality_burst_r(&pat);
	out->rtt_ms = s->rtt.samples ? s->rtt.sum_ms / (double)s->rtt.samples : -1.0;
	in.ta_ms = sift_quality_ta(out->rtt_ms, s->rs.jb_ms, -1.0, c);
	sift_quality_score(&in, &out->q);
	out->codec = c;
	out->ppl = in.ppl;
	out->burst_r = in.burst_r;
	out->ta_ms = in.ta_ms;
	out->jb_late = s->rs.jb_late;
	out->jb_ms = s->rs.jb_ms;
	return true;
}
