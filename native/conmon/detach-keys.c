/* Detach key sequences, as Docker's --detach-keys spells them. */
#include "detach-keys.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The control code for "ctrl-X", or -1. */
static int ctrl_code(int c)
{
	c = tolower(c);
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	const char *specials = "@[\\]^_"; /* 0, 27, 28, 29, 30, 31 */
	const char *p = c ? strchr(specials, c) : NULL;
	if (p == NULL)
		return -1;
	return p == specials ? 0 : 27 + (int)(p - specials) - 1;
}

int detach_keys_parse(struct detach_keys *d, const char *spec)
{
	char buf[256];
	d->n = 0;
	d->matched = 0;
	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int code = -1;
		if (d->n >= MAX_DETACH_KEYS)
			return -1;
		if (strlen(tok) == 1)
			code = (unsigned char)tok[0];
		else if (strlen(tok) == 6 && strncasecmp(tok, "ctrl-", 5) == 0)
			code = ctrl_code((unsigned char)tok[5]);
		if (code < 0)
			return -1;
		d->keys[d->n++] = (unsigned char)code;
	}
	return 0;
}

int detach_keys_filter(struct detach_keys *d, const unsigned char *in, size_t n, unsigned char *out, size_t *out_len)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = in[i];
		if (d->n > 0) {
			if (b == d->keys[d->matched]) {
				if (++d->matched == d->n)
					return 1;
				continue;
			}
			if (d->matched > 0) {
				detach_keys_release(d, out, out_len);
				if (b == d->keys[0]) {
					if (++d->matched == d->n)
						return 1;
					continue;
				}
			}
		}
		out[(*out_len)++] = b;
	}
	return 0;
}

void detach_keys_release(struct detach_keys *d, unsigned char *out, size_t *out_len)
{
	memcpy(out + *out_len, d->keys, d->matched);
	*out_len += d->matched;
	d->matched = 0;
}
