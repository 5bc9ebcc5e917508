#include "dns_common.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

#include "model/buf.h"
#include <strings.h>

/* Bytes written as they are in the canonical form; everything else is
 * escaped. Upper case never appears: names are folded to lower case. */
static int plain_byte(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 1;
	switch (c) {
	case '-': case '_': case '*': case '/': case '+': case '=': case ',': case ':':
	case '!': case '#': case '%': case '&': case '\'': case '<': case '>': case '?':
	case '[': case ']': case '^': case '`': case '{': case '|': case '}': case '~':
		return 1;
	default:
		return 0;
	}
}

static int special_byte(unsigned char c)
{
	return c == '.' || c == '\\' || c == '(' || c == ')' || c == ';' || c == '"' ||
	       c == '@' || c == '$';
}

int sf_dns_wire_to_text(const uint8_t *wire, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	if (outsz < 2)
		return -1;
	if (len > SF_DNS_WIRE_MAX)
		len = SF_DNS_WIRE_MAX;
	for (;;) {
		size_t lab;
		if (i >= len)
			return -1;              /* no root label before the end */
		lab = wire[i++];
		if (lab == 0)
			break;
		if (lab > 63 || lab > len - i)
			return -1;
		for (size_t k = 0; k < lab; k++) {
			unsigned char c = wire[i + k];
			char tmp[5];
			size_t tl;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			/* most bytes of most names: a letter, a digit, a hyphen */
			if (((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') &&
			    o + 3 <= outsz) {
				out[o++] = (char)c;
				continue;
			}
			if (plain_byte(c)) {
				tmp[0] = (char)c;
				tl = 1;
			} else if (special_byte(c)) {
				tmp[0] = '\\';
				tmp[1] = (char)c;
				tl = 2;
			} else {
				tmp[0] = '\\';
				tmp[1] = (char)('0' + c / 100);
				tmp[2] = (char)('0' + c / 10 % 10);
				tmp[3] = (char)('0' + c % 10);
				tl = 4;
			}
			if (o + tl + 2 > outsz)
				return -1;
			memcpy(out + o, tmp, tl);
			o += tl;
		}
		i += lab;
		if (o + 2 > outsz)
			return -1;
		out[o++] = '.';
	}
	if (o == 0)
		out[o++] = '.';         /* the root */
	out[o] = '\0';
	return (int)o;
}

static int digit_val(char c, int octal)
{
	if (c < '0' || c > (octal ? '7' : '9'))
		return -1;
	return c - '0';
}

int sf_dns_text_to_wire(const char *s, size_t n, int octal, uint8_t *wire, size_t wiresz)
{
	size_t i = 0, w = 0, lab_at = 0, lab_len = 0;

	if (wiresz < 1)
		return -1;
	if (n == 1 && s[0] == '.') {
		wire[0] = 0;
		return 1;
	}
	if (n == 0)
		return -1;
	lab_at = w++;
	while (i < n) {
		unsigned int c = (unsigned char)s[i++];
		if (c == '.') {
			if (lab_len == 0)
				return -1;          /* empty label */
			if (w >= wiresz || w >= SF_DNS_WIRE_MAX)
				return -1;
			wire[lab_at] = (uint8_t)lab_len;
			lab_at = w++;
			lab_len = 0;
			continue;
		}
		if (c == '\\') {
			if (i >= n)
				return -1;
			if (digit_val(s[i], 0) >= 0) {
				int base = octal ? 8 : 10;
				unsigned int v = 0;
				for (int k = 0; k < 3; k++) {
					int d = i < n ? digit_val(s[i], octal) : -1;
					if (d < 0)
						return -1;
					v = v * (unsigned)base + (unsigned)d;
					i++;
				}
				if (v > 255)
					return -1;
				c = v;
			} else {
				c = (unsigned char)s[i++];
			}
		}
		if (lab_len >= 63 || w >= wiresz || w >= SF_DNS_WIRE_MAX)
			return -1;
		wire[w++] = (uint8_t)c;
		lab_len++;
	}
	if (lab_len > 0) {
		/* no trailing dot: close the last label and add the root */
		if (w >= wiresz || w >= SF_DNS_WIRE_MAX)
			return -1;
		wire[lab_at] = (uint8_t)lab_len;
		lab_at = w++;
	}
	wire[lab_at] = 0;
	return (int)w;
}

int sf_dns_canon(const char *s, size_t n, int octal, char *out, size_t outsz)
{
	uint8_t wire[SF_DNS_WIRE_MAX + 1];
	int wl = sf_dns_text_to_wire(s, n, octal, wire, sizeof(wire));
	if (wl < 0)
		return -1;
	return sf_dns_wire_to_text(wire, (size_t)wl, out, outsz);
}

int sf_dns_in_zone(const char *name, const char *apex)
{
	size_t n = strlen(name), a = strlen(apex);
	if (strcmp(apex, ".") == 0)
		return 1;
	if (n < a || strcmp(name + n - a, apex) != 0)
		return 0;
	if (n == a)
		return 1;
	/* the byte before the suffix must be an unescaped label separator */
	if (name[n - a - 1] != '.')
		return 0;
	{
		size_t bs = 0;
		for (size_t k = n - a - 1; k > 0 && name[k - 1] == '\\'; k--)
			bs++;
		return bs % 2 == 0;
	}
}

static const struct {
	uint16_t type;
	const char *name;
} types[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" }, { 6, "SOA" },
	{ 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" }, { 11, "WKS" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 14, "MINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" },
	{ 18, "AFSDB" }, { 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAP-PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" }, { 27, "GPOS" },
	{ 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" }, { 31, "EID" }, { 32, "NIMLOC" },
	{ 33, "SRV" }, { 34, "ATMA" }, { 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" },
	{ 38, "A6" }, { 39, "DNAME" }, { 40, "SINK" }, { 42, "APL" }, { 43, "DS" },
	{ 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" }, { 47, "NSEC" },
	{ 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" }, { 51, "NSEC3PARAM" },
	{ 52, "TLSA" }, { 53, "SMIMEA" }, { 55, "HIP" }, { 56, "NINFO" }, { 57, "RKEY" },
	{ 58, "TALINK" }, { 59, "CDS" }, { 60, "CDNSKEY" }, { 61, "OPENPGPKEY" },
	{ 62, "CSYNC" }, { 63, "ZONEMD" }, { 64, "SVCB" }, { 65, "HTTPS" }, { 66, "DSYNC" },
	{ 99, "SPF" }, { 104, "NID" }, { 105, "L32" }, { 106, "L64" }, { 107, "LP" },
	{ 108, "EUI48" }, { 109, "EUI64" }, { 256, "URI" }, { 257, "CAA" }, { 258, "AVC" },
	{ 259, "DOA" }, { 260, "AMTRELAY" }, { 261, "RESINFO" }, { 32768, "TA" },
	{ 32769, "DLV" },
};

const char *sf_dns_type_name(uint16_t type, char *buf, size_t bufsz)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(buf, bufsz, "TYPE%u", (unsigned)type);
	return buf;
}

int sf_dns_type_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(types[i].name, name) == 0)
			return types[i].type;
	if (strncasecmp(name, "TYPE", 4) == 0 && name[4]) {
		unsigned long v = 0;
		for (const char *p = name + 4; *p; p++) {
			if (*p < '0' || *p > '9' || v > 65535)
				return -1;
			v = v * 10 + (unsigned long)(*p - '0');
		}
		return v <= 65535 ? (int)v : -1;
	}
	return -1;
}

/* ---- DNS providers ---- */

/* `out` (of `outsz` bytes) gets `a` then the `bn` bytes at `b`, cut to
 * fit and NUL-ended, as snprintf("%s%.*s") would: a zone with thousands
 * of delegations names its providers often. */
static void put2(char *out, size_t outsz, const char *a, const char *b, size_t bn)
{
	size_t an = strlen(a), n;
	if (!outsz)
		return;
	n = an < outsz - 1 ? an : outsz - 1;
	memcpy(out, a, n);
	if (bn > outsz - 1 - n)
		bn = outsz - 1 - n;
	memcpy(out + n, b, bn);
	out[n + bn] = '\0';
}

/* A label of `s` (canonical text) starting with `prefix`. */
static int has_label_prefix(const char *s, const char *prefix)
{
	size_t m = strlen(prefix);
	const char *p = s;
	while (*p) {
		if (strncmp(p, prefix, m) == 0)
			return 1;
		p = strchr(p, '.');
		if (!p)
			break;
		p++;
	}
	return 0;
}

/* The second-level labels under which country-code registries sell names
 * (co.uk, com.au, ...): the registrable domain is then three labels. */
static int cc_second_level(const char *label, size_t len)
{
	static const char *const sl[] = { "ac", "co", "com", "edu", "gov", "gob", "go",
	                                  "ltd", "mil", "ne", "net", "nom", "or", "org",
	                                  "plc", "sch" };
	for (size_t i = 0; i < sizeof(sl) / sizeof(sl[0]); i++)
		if (strlen(sl[i]) == len && strncmp(sl[i], label, len) == 0)
			return 1;
	return 0;
}

/* Registrable domain of a canonical name, without the trailing dot. */
static void registrable(const char *ns, char *out, size_t outsz)
{
	const char *starts[64];
	size_t nl = 0, keep, len = strlen(ns);
	const char *p = ns;

	if (len && ns[len - 1] == '.')
		len--;
	while (p < ns + len && nl < 64) {
		starts[nl++] = p;
		while (p < ns + len && *p != '.') {
			if (*p == '\\' && p + 1 < ns + len)
				p++;
			p++;
		}
		p++;
	}
	if (nl == 0) {
		put2(out, outsz, "root", "", 0);
		return;
	}
	keep = nl >= 2 ? 2 : 1;
	if (nl >= 3) {
		size_t tld_len = (size_t)(ns + len - starts[nl - 1]);
		size_t sl_len = (size_t)(starts[nl - 1] - 1 - starts[nl - 2]);
		if (tld_len == 2 && cc_second_level(starts[nl - 2], sl_len))
			keep = 3;
	}
	put2(out, outsz, "", starts[nl - keep], (size_t)(ns + len - starts[nl - keep]));
}

void sf_dns_provider(const char *ns, char *key, size_t keysz, char *label, size_t labelsz)
{
	static const struct {
		int how;                /* 0 suffix, 1 label prefix, 2 contains */
		const char *match;
		const char *id;
		const char *label;
	} known[] = {
		{ 1, "awsdns-", "route53", "Amazon Route 53" },
		{ 0, ".ns.cloudflare.com.", "cloudflare", "Cloudflare DNS" },
		{ 2, ".azure-dns.", "azure", "Azure DNS" },
		{ 0, ".googledomains.com.", "clouddns", "Google Cloud DNS" },
		{ 0, ".nsone.net.", "ns1", "NS1" },
		{ 2, ".ultradns.", "ultradns", "UltraDNS" },
		{ 0, ".akam.net.", "akamai", "Akamai Edge DNS" },
		{ 0, ".dynect.net.", "dyn", "Dyn (Oracle) DNS" },
	};
	size_t n = strlen(ns);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t m;
		int hit;
		switch (known[i].how) {
		case 0:
			m = strlen(known[i].match);
			hit = n >= m && memcmp(ns + n - m, known[i].match, m) == 0;
			break;
		case 1: hit = has_label_prefix(ns, known[i].match); break;
		default: hit = strstr(ns, known[i].match) != NULL; break;
		}
		/* Cloud DNS servers are ns-cloud-XN.googledomains.com. */
		if (hit && strcmp(known[i].id, "clouddns") == 0 && !has_label_prefix(ns, "ns-cloud-"))
			hit = 0;
		if (hit) {
			put2(key, keysz, "dnsprovider:", known[i].id, strlen(known[i].id));
			put2(label, labelsz, "", known[i].label, strlen(known[i].label));
			return;
		}
	}
	{
		char dom[SF_DNS_TEXT_MAX];
		registrable(ns, dom, sizeof(dom));
		put2(key, keysz, "dnsprovider:", dom, strlen(dom));
		put2(label, labelsz, "DNS servers of ", dom, strlen(dom));
	}
}

sf_node_id sf_dns_provider_node(sf_graph *g, const char *ns)
{
	char key[SF_DNS_TEXT_MAX + 16], label[SF_DNS_TEXT_MAX + 32];
	sf_dns_provider(ns, key, sizeof(key), label, sizeof(label));
	return sf_graph_node(g, SF_KIND_DNS_PROVIDER, key, label, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sf_dns_zone_servers(sf_graph *g, sf_node_id zone, const char **ns, size_t n,
                        const sf_prov *prov)
{
	sf_buf list = SF_BUF_INIT;
	int rc = 0;

	if (!n)
		return 0;
	qsort(ns, n, sizeof(*ns), cmp_str);
	for (size_t i = 0; i < n; i++) {
		sf_node_id pv;
		if (i && strcmp(ns[i], ns[i - 1]) == 0)
			continue;
		pv = sf_dns_provider_node(g, ns[i]);
		if (pv == SF_NODE_NONE || sf_graph_edge(g, zone, SF_EDGE_SERVED_BY, pv, prov) < 0)
			rc = -1;
		if (list.len)
			sf_buf_putc(&list, ',');
		sf_buf_puts(&list, ns[i]);
	}
	sf_graph_set_gate(g, zone, SF_GATE_ANY);
	if (list.failed || sf_graph_set_attr(g, zone, "nameservers", sf_buf_cstr(&list)) < 0)
		rc = -1;
	sf_buf_free(&list);
	return rc;
}
