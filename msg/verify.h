/*
 * mail-verify's engine: what a receiver makes of one message.  Every
 * DKIM-Signature is verified (msg/dkim.h); SPF is check_host() (the
 * interpreter of lint/spf_eval.h) for the client address, HELO and MAIL
 * FROM given, or taken from the Received: field the receiving MTA wrote
 * and from Return-Path:; DMARC (RFC 9989) finds the policy of the
 * RFC5322.From domain by the tree walk, and an SPF or DKIM pass counts
 * when its domain is aligned with it: strictly the same name, relaxed
 * the same Organizational Domain (RFC 9989 4.10.2: the tree walk of each
 * name read to its end, psd=n and psd=y records heeded, else the name
 * with a record and the fewest labels, else the name itself).  The ARC
 * chain is verified (msg/dkim.h, arc_verify) and
 * reported, never used to pass DMARC.
 */
#ifndef AUTHZONE_MSG_VERIFY_H
#define AUTHZONE_MSG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dns/dns.h"
#include "lint/spf_eval.h"
#include "msg/dkim.h"
#include "msg/message.h"

#define MV_MAX_SIGS	16

typedef struct mv_request {
	const char *ip, *helo, *sender;	/* given, or NULL */
	const char *received_by;	/* take them from this MTA's Received: */
	time_t now;
} mv_request_t;

typedef struct mv_result {
	dkim_verdict_t dkim[MV_MAX_SIGS];
	size_t ndkim;
	bool dkim_aligned[MV_MAX_SIGS];
	/* SPF */
	char ip[64], helo[256], sender[320];
	spf_result_t spf;
	bool spf_checked;
	char spf_domain[256], spf_reason[300];
	bool spf_aligned;
	/* DMARC */
	char from_domain[256];
	const char *dmarc;	/* "pass", "fail", "none", "temperror",
				 * "permerror" */
	char dmarc_reason[500];
	char policy[16];	/* the policy that applies, or "" */
	const char *disposition;	/* "none", "quarantine", "reject" */
	char policy_domain[256];	/* where the record was found */
	char org_domain[256];	/* the From domain's Organizational Domain,
				 * when relaxed alignment needed it */
	size_t arc_sets;
	const char *arc;	/* "none", "pass", "fail", "temperror" */
	char arc_reason[700];
	bool dns_failed;
} mv_result_t;

/** Evaluates m as req says into res. */
void mv_evaluate(const msg_t *m, dns_resolver_t *r, const mv_request_t *req,
    mv_result_t *res);

#endif
