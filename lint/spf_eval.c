/* The evaluator: the interpreter with a client, and what decided */
#include "lint/spf_eval.h"

#include <stdlib.h>
#include <string.h>

#include "lint/spf_interp.h"

struct eval {
	spf_outcome_t *out;
	bool noted;		/* where the first error happened is kept */
};

static const char *const result_names[] = {
	[SPF_RESULT_NONE] = "none", [SPF_RESULT_NEUTRAL] = "neutral",
	[SPF_RESULT_PASS] = "pass", [SPF_RESULT_FAIL] = "fail",
	[SPF_RESULT_SOFTFAIL] = "softfail",
	[SPF_RESULT_TEMPERROR] = "temperror",
	[SPF_RESULT_PERMERROR] = "permerror",
};

const char *
spf_result_str(spf_result_t res)
{
	return result_names[res];
}

void
spf_outcome_clear(spf_outcome_t *out)
{
	free(out->domain);
	free(out->decided_by);
	free(out->mechanism);
	free(out->explanation);
	free(out->problem);
	memset(out, 0, sizeof(*out));
}

/* Records the term (or NULL) of f's record that decides */
static void
decided(struct eval *e, const spf_frame_t *f, const spf_term_t *t)
{
	free(e->out->mechanism);
	free(e->out->decided_by);
	e->out->mechanism = t ? strndup(f->text + t->offset, t->length) : NULL;
	e->out->decided_by = strdup(f->name);
}

static void
noted(struct eval *e, const spf_frame_t *f, const spf_term_t *t)
{
	if (!e->noted)
		decided(e, f, t);
	e->noted = true;
}

static int
eval_enter(void *arg, spf_frame_t *f, const dns_answer_t *type99)
{
	(void)type99;
	if (f->fetch == SPF_FETCH_SYNTAX)
		noted(arg, f, NULL);
	return SPF_ENTER_GO;
}

static spf_match_t
eval_term(void *arg, spf_frame_t *f, const spf_term_t *t, const spf_step_t *s)
{
	if (s->match == SPF_TEMPERR || s->match == SPF_PERMERR)
		noted(arg, f, t);
	/* a redirect's result is decided in its target */
	else if (s->match == SPF_MATCH && t->kind != SPF_REDIRECT)
		decided(arg, f, t);
	return s->match;
}

static void
eval_leave(void *arg, spf_frame_t *f)
{
	if (f->defaulted)
		decided(arg, f, NULL);
}

static const spf_policy_t evaluator = {
	.flags = 0,
	.enter = eval_enter,
	.term = eval_term,
	.leave = eval_leave,
};

static const spf_policy_t evaluator_ahead = {
	.flags = SPF_P_AHEAD,
	.enter = eval_enter,
	.term = eval_term,
	.leave = eval_leave,
};

int
spf_eval_run(spf_outcome_t *out, dns_resolver_t *r, const spf_request_t *req)
{
	struct eval e = { .out = out };
	spf_interp_t *in;
	const char *s;

	memset(out, 0, sizeof(*out));
	in = spf_interp_new(r, NULL, req->ahead ? &evaluator_ahead :
	    &evaluator, &e, NULL, req->record,
	    req->record ? strlen(req->record) : 0);
	if (in == NULL || spf_interp_client(in, req) != 0) {
		spf_interp_free(in);
		return -1;
	}
	out->identity = req->sender && *req->sender ? "mailfrom" : "helo";
	out->domain = strdup(spf_interp_given(in));
	if (spf_interp_run(in) != 0) {
		out->result = SPF_RESULT_TEMPERROR;
		out->problem = strdup("out of memory");
	} else
		out->result = spf_interp_result(in);
	if ((s = spf_interp_problem(in)) && out->problem == NULL)
		out->problem = strdup(s);
	if (out->result == SPF_RESULT_FAIL && (s = spf_interp_explanation(in)))
		out->explanation = strdup(s);
	out->lookups = spf_interp_lookups(in);
	out->void_lookups = spf_interp_voids(in);
	spf_interp_free(in);
	return 0;
}
