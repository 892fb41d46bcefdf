/* sipsift — audio export, resampling: linear interpolation, streaming
 * (audio_int.h, struct rsmp). */
#include <string.h>

#include "media/audio_int.h"

void sift_rs_init(struct rsmp *r, unsigned in, unsigned out)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->out = out;
}

/* Output sample k is the input at k*in/out, between its two neighbours. */
void sift_rs_run(struct rsmp *r, const int16_t *s, size_t n, sift_rs_emit_fn fn,
		 void *ctx)
{
	int16_t ob[1024];
	size_t o = 0;
	uint64_t base = r->nin;

	if (r->in == r->out) {
		fn(ctx, s, n);
		r->nin += n;
		r->nout += n;
		return;
	}
	r->nin += n;
	for (;;) {
		uint64_t num = r->nout * r->in;
		uint64_t i = num / r->out, frac = num % r->out;
		int a, b;

		if (i + 1 >= r->nin)
			break;
		a = i < base ? r->last : s[i - base];
		b = s[i + 1 - base];
		ob[o++] = (int16_t)(a + (b - a) * (int64_t)frac / (int64_t)r->out);
		r->nout++;
		if (o == sizeof(ob) / sizeof(ob[0])) {
			fn(ctx, ob, o);
			o = 0;
		}
	}
	if (n)
		r->last = s[n - 1];
	if (o)
		fn(ctx, ob, o);
}

/* The last input sample stands for what is left of the output. */
void sift_rs_flush(struct rsmp *r, sift_rs_emit_fn fn, void *ctx)
{
	int16_t ob[64];
	size_t o = 0;

	if (r->in == r->out)
		return;
	while (r->nout * r->in < r->nin * r->out && o < sizeof(ob) / sizeof(ob[0])) {
		ob[o++] = r->last;
		r->nout++;
	}
	if (o)
		fn(ctx, ob, o);
}

int64_t sift_rs_rescale(int64_t v, unsigned from, unsigned to)
{
	if (from == to)
		return v;
	return v / from * (int64_t)to + v % from * (int64_t)to / (int64_t)from;
}
