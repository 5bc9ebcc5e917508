/* DNS helpers shared by the zone-file and Route 53 importers: one
 * canonical text form for names, RR type names, and the DNS provider that
 * runs a name server.
 *
 * Canonical text form: absolute (trailing dot), lower case, every byte
 * outside [a-z0-9-_*] and the printable ASCII that needs no quoting written
 * as \DDD (decimal), `.` `\` and the other master-file specials as \c. It
 * is what graph keys use: `dns:` + the canonical name. */
#ifndef SF_DNS_COMMON_H
#define SF_DNS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "model/graph.h"

/* Wire names are at most 255 bytes; the text form at most four bytes per
 * wire byte, plus the NUL. */
#define SF_DNS_WIRE_MAX 255
#define SF_DNS_TEXT_MAX (4 * SF_DNS_WIRE_MAX + 2)

/* Longest CNAME chain worth following: resolvers give up after about this
 * many aliases (BIND restarts a query at most 11 times, Unbound 8-11), so a
 * longer chain does not resolve in practice. */
#define SF_DNS_MAX_CHAIN 16

/* Wire-format name (as libzscanner hands it out) to canonical text. `len`
 * bounds the read: a label running past it, or a name longer than 255
 * bytes, is refused. Returns the text length, or -1. */
int sf_dns_wire_to_text(const uint8_t *wire, size_t len, char *out, size_t outsz);

/* Parse a presentation-format name (`api.Example.com`, `\052.example.com.`)
 * into wire format. Escapes are \DDD, decimal as in RFC 1035, or octal when
 * `octal` is set (the Route 53 API writes `*` as \052). A name without the
 * trailing dot is taken as absolute. Returns the wire length, or -1 on a
 * malformed name (empty label, label over 63, name over 255 bytes). */
int sf_dns_text_to_wire(const char *s, size_t n, int octal, uint8_t *wire, size_t wiresz);

/* Presentation name to canonical text; -1 when malformed. */
int sf_dns_canon(const char *s, size_t n, int octal, char *out, size_t outsz);

/* 1 when canonical `name` is `apex` or below it. */
int sf_dns_in_zone(const char *name, const char *apex);

/* "A", "CNAME", ... or "TYPE<n>". `buf` holds at least 16 bytes. */
const char *sf_dns_type_name(uint16_t type, char *buf, size_t bufsz);
/* The RR type for a name ("A", "type65534"); -1 when unknown. */
int sf_dns_type_from_name(const char *name);

/* Who operates the name server `ns` (canonical text): writes the provider
 * key (`dnsprovider:route53`) and a label ("Amazon Route 53"). Known
 * operators are matched by their host names; any other server counts as
 * run by the owner of its registrable domain (`dnsprovider:example.net`),
 * which is an approximation without the public suffix list. */
void sf_dns_provider(const char *ns, char *key, size_t keysz, char *label, size_t labelsz);

/* The `dnsprovider:` node for name server `ns`, created when new. */
sf_node_id sf_dns_provider_node(sf_graph *g, const char *ns);

/* Record that `zone` is served by the name servers `ns` (canonical names,
 * interned; sorted in place, duplicates allowed): a served_by edge to each
 * provider, the `nameservers` attribute (the NS set was seen, so SF207 may
 * judge it), and an ANY gate, because the zone answers while any of its
 * providers does. Returns -1 out of memory. */
int sf_dns_zone_servers(sf_graph *g, sf_node_id zone, const char **ns, size_t n,
                        const sf_prov *prov);

#endif
