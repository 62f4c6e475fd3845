/* Docker's detach key sequences ("ctrl-p,ctrl-q"): parsing, and spotting them in typed input. */
#ifndef SELKIE_DETACH_KEYS_H
#define SELKIE_DETACH_KEYS_H

#include <stddef.h>

#define MAX_DETACH_KEYS 16

struct detach_keys {
	unsigned char keys[MAX_DETACH_KEYS];
	size_t n;       /* 0: detaching disabled */
	size_t matched; /* keys typed so far, held back from the container */
};

/* Comma-separated keys, each one character or "ctrl-X"; "" disables. Returns -1 when invalid. */
int detach_keys_parse(struct detach_keys *d, const char *spec);

/*
 * Copies typed bytes to out, holding back a partial detach sequence (it is released when the next
 * byte does not continue it). out needs room for n + MAX_DETACH_KEYS bytes. Returns 1 when the whole
 * sequence was typed (detach), else 0.
 */
int detach_keys_filter(struct detach_keys *d, const unsigned char *in, size_t n, unsigned char *out, size_t *out_len);

/* Releases held-back keys into out (at end of input). */
void detach_keys_release(struct detach_keys *d, unsigned char *out, size_t *out_len);

#endif
