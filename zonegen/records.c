#include "zonegen/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* appends "; name=value" when value is given */
static void
tag(FILE *fp, const char *name, const char *value)
{
	if (value)
		fprintf(fp, "; %s=%s", name, value);
}

static void
uris(FILE *fp, const char *name, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? "," : name, v[i]);
}

/* The text of a memory stream, once closed (the stream sets *buf) */
static char *
closed(FILE *fp, char **buf)
{
	if (fclose(fp) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *
zg_dmarc_record(const zg_dmarc_t *d)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	fprintf(fp, "v=DMARC1; p=%s", d->p);
	tag(fp, "sp", d->sp);
	tag(fp, "np", d->np);
	tag(fp, "psd", d->psd);
	tag(fp, "t", d->t);
	tag(fp, "adkim", d->adkim);
	tag(fp, "aspf", d->aspf);
	tag(fp, "pct", d->pct);
	tag(fp, "rf", d->rf);
	tag(fp, "ri", d->ri);
	uris(fp, "; rua=", d->rua, d->nrua);
	uris(fp, "; ruf=", d->ruf, d->nruf);
	tag(fp, "fo", d->fo);
	return closed(fp, &buf);
}

const char *
zg_dmarc_stage(const char *stage, const char **note)
{
	if (strcmp(stage, "monitor") == 0) {
		*note = "stage 1 of 3, monitor: read the reports until every "
		    "legitimate source passes, then --stage quarantine";
		return "none";
	}
	if (strcmp(stage, "quarantine") == 0) {
		*note = "stage 2 of 3, quarantine: when the reports show no "
		    "legitimate mail quarantined, --stage reject";
		return "quarantine";
	}
	if (strcmp(stage, "reject") == 0) {
		*note = "stage 3 of 3, reject: keep reading the reports";
		return "reject";
	}
	return NULL;
}

char *
zg_tlsrpt_record(const char *const *rua, size_t n)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	fputs("v=TLSRPTv1", fp);
	uris(fp, "; rua=", rua, n);
	return closed(fp, &buf);
}

char *
zg_mtasts_policy(const char *mode, const char (*mx)[256], size_t nmx,
    unsigned max_age, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	if (fp == NULL)
		return NULL;
	fprintf(fp, "version: STSv1\r\nmode: %s\r\n", mode);
	for (size_t i = 0; i < nmx; i++)
		fprintf(fp, "mx: %s\r\n", mx[i]);
	fprintf(fp, "max_age: %u\r\n", max_age);
	return closed(fp, &buf);
}

int
zg_mtasts_id(const char *policy, size_t len, char id[21])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (EVP_Digest(policy, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return -1;
	for (int i = 0; i < 10; i++)
		snprintf(id + 2 * i, 3, "%02x", md[i]);
	return 0;
}

char *
zg_mtasts_record(const char *id)
{
	char *rec;

	return asprintf(&rec, "v=STSv1; id=%s;", id) < 0 ? NULL : rec;
}

char *
zg_bimi_record(const char *logo, const char *cert, const char *lps,
    const char *avp, bool decline)
{
	char *rec;

	if (decline)
		return strdup("v=BIMI1; l=; a=;");
	if (asprintf(&rec, "v=BIMI1; l=%s; a=%s;%s%s%s%s%s%s", logo,
	    cert ? cert : "", lps ? " lps=" : "", lps ? lps : "",
	    lps ? ";" : "", avp ? " avp=" : "", avp ? avp : "",
	    avp ? ";" : "") < 0)
		return NULL;
	return rec;
}
