/* core_random.c - randomness from libsodium. */
#include <sodium.h>

#include "core.h"

int pg_core_init(void)
{
	return sodium_init() < 0 ? PG_EIO : 0;
}

void pg_random_bytes(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void pg_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hexd[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void pg_random_hex(char *out, size_t n)
{
	unsigned char tmp[64];
	while (n) {
		size_t k = n < sizeof(tmp) ? n : sizeof(tmp);
		randombytes_buf(tmp, k);
		pg_hex(tmp, k, out);
		out += 2 * k;
		n -= k;
	}
}
