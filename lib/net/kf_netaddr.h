#ifndef KF_NETADDR_H
#define KF_NETADDR_H
/* Which network addresses an outbound request chosen by a tenant (a callback URL) may
 * reach (API.md "Merchant callback", DESIGN.md "Outside world"): never the server's own
 * networks — loopback, private (RFC 1918), link-local, CGNAT, unique-local, multicast,
 * unspecified, IPv4-mapped forms of those — unless the operator allowed a range with
 * KonfirmadoOutboundAllow. Pure: no I/O, no resolver. */
#include <apr_pools.h>
#include <apr_tables.h>
#include <sys/socket.h>

/* An address as 16 bytes: IPv4 in IPv4-mapped form (::ffff:a.b.c.d), so that a mapped
 * address and its IPv4 are judged alike. */
typedef struct kf_ipaddr {
    unsigned char b[16];
} kf_ipaddr;

/* A range of KonfirmadoOutboundAllow ("127.0.0.0/8", "10.1.2.3", "fd00::/8"). */
typedef struct kf_cidr {
    kf_ipaddr net;
    int bits;          /* prefix length over the 16-byte form (IPv4 /8 is /104) */
} kf_cidr;

/* From a socket address (AF_INET or AF_INET6). 0 for another family. */
int kf_ipaddr_from_sockaddr(const struct sockaddr *sa, kf_ipaddr *out);

/* From the text of an address: dotted IPv4 in every form inet_aton accepts (127.1,
 * 2130706433, 0x7f000001, 0177.0.0.1) or IPv6, with or without [brackets]. 0 when the
 * text is no address (a host name). */
int kf_ipaddr_parse(const char *text, kf_ipaddr *out);

/* 1 for an address of the server's own networks (the list above). */
int kf_ipaddr_is_internal(const kf_ipaddr *a);

/* Parses "address[/bits]". NULL, or why not (a message for the operator). */
const char *kf_cidr_parse(const char *text, kf_cidr *out);

/* 1 when a lies in one of the ranges (an array of kf_cidr; NULL or empty: none). */
int kf_cidr_list_contains(const apr_array_header_t *ranges, const kf_ipaddr *a);

/* The outbound rule on an address: 1 when it may be connected to (not internal, or inside
 * an allowed range). */
int kf_outbound_address_ok(const apr_array_header_t *allow, const kf_ipaddr *a);

/* The rule on a URL's host as written (checked when a tenant saves the URL): 0 when the
 * host is literally an internal address that no range allows; 1 otherwise (names are
 * judged at delivery, on the address actually connected to). */
int kf_outbound_host_ok(const apr_array_header_t *allow, const char *host);

#endif
