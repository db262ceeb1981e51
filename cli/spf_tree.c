#include "cli/spf_tree.h"

#include <string.h>

static void
term_text(const spf_node_t *n, const spf_item_t *it, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)it->term->length,
	    n->rec->text + it->term->offset);
}

/* "(12 ip4/ip6, -all)": what a record holds besides its lookups */
static void
node_summary(FILE *fp, const spf_node_t *n)
{
	size_t ips = 0;
	const char *all = NULL;
	char buf[16];

	if (n->rec == NULL)
		return;
	for (size_t i = 0; i < n->rec->nterms; i++) {
		const spf_term_t *t = &n->rec->terms[i];

		ips += t->kind == SPF_IP4 || t->kind == SPF_IP6;
		if ((int)i == n->rec->all) {
			snprintf(buf, sizeof(buf), "%call", t->qualifier);
			all = buf;
		}
	}
	if (ips && all)
		fprintf(fp, " (%zu ip4/ip6, %s)", ips, all);
	else if (ips)
		fprintf(fp, " (%zu ip4/ip6)", ips);
	else if (all)
		fprintf(fp, " (%s)", all);
}

static void
item_notes(FILE *fp, const spf_item_t *it)
{
	if (it->void_lookup)
		fputs(" [void]", fp);
	if (it->mx_names)
		fprintf(fp, " (%zu MX name%s)", it->mx_names,
		    it->mx_names == 1 ? "" : "s");
	if (it->note && !it->void_lookup)
		fprintf(fp, " [%s]", it->note);
	else if (it->note && strcmp(it->note, "no SPF record") == 0)
		fprintf(fp, " [%s]", it->note);
	if (!it->evaluated)
		fputs(" [not evaluated]", fp);
}

static void
print_node(FILE *fp, const spf_node_t *n, const char *prefix, int verbose)
{
	size_t shown = 0, last = 0;
	char buf[512], sub[256];

	for (size_t i = 0; i < n->nitems; i++)
		if (n->items[i].lookup || verbose) {
			shown++;
			last = i;
		}
	if (shown == 0)
		return;
	for (size_t i = 0; i < n->nitems; i++) {
		const spf_item_t *it = &n->items[i];
		bool end = i == last;

		if (!it->lookup && !verbose)
			continue;
		term_text(n, it, buf, sizeof(buf));
		fprintf(fp, "%s%s ", prefix, end ? "`--" : "|--");
		if (it->lookup)
			fprintf(fp, "%u ", it->lookup);
		fputs(buf, fp);
		item_notes(fp, it);
		if (it->child)
			node_summary(fp, it->child);
		fputc('\n', fp);
		if (it->child) {
			snprintf(sub, sizeof(sub), "%s%s", prefix,
			    end ? "    " : "|   ");
			print_node(fp, it->child, sub, verbose);
		}
	}
}

void
cmd_spf_tree_print(FILE *fp, const spf_walk_t *w, int verbose)
{
	if (w->root == NULL)
		return;
	fputs(w->root->domain ? w->root->domain : "(record)", fp);
	node_summary(fp, w->root);
	fputc('\n', fp);
	print_node(fp, w->root, "", verbose);
}

json_t *
cmd_spf_tree_json(const spf_node_t *n)
{
	json_t *terms;
	char buf[512];

	if (n == NULL)
		return json_null();
	terms = json_array();
	for (size_t i = 0; i < n->nitems; i++) {
		const spf_item_t *it = &n->items[i];
		json_t *o;

		term_text(n, it, buf, sizeof(buf));
		o = json_pack("{s:s, s:s, s:b, s:b}", "term", buf,
		    "kind", spf_kind_str(it->term->kind),
		    "evaluated", it->evaluated, "void", it->void_lookup);
		json_object_set_new(o, "lookup", it->lookup ?
		    json_integer(it->lookup) : json_null());
		json_object_set_new(o, "target", it->target ?
		    json_string(it->target) : json_null());
		json_object_set_new(o, "note", it->note ?
		    json_string(it->note) : json_null());
		if (it->term->kind == SPF_MX && it->evaluated)
			json_object_set_new(o, "mx_names",
			    json_integer((json_int_t)it->mx_names));
		if (it->child)
			json_object_set_new(o, "tree",
			    cmd_spf_tree_json(it->child));
		json_array_append_new(terms, o);
	}
	return json_pack("{s:o, s:s, s:o}", "domain", n->domain ?
	    json_string(n->domain) : json_null(), "record", n->text,
	    "terms", terms);
}

void
cmd_spf_summary_print(FILE *fp, const spf_walk_t *w)
{
	if (w->complete)
		fprintf(fp, "lookups %u/%d, void %u/%d\n", w->lookups,
		    SPF_LOOKUP_LIMIT, w->voids, SPF_VOID_LIMIT);
	else
		fprintf(fp, "lookups at least %u/%d, void at least %u/%d "
		    "(incomplete)\n", w->lookups, SPF_LOOKUP_LIMIT, w->voids,
		    SPF_VOID_LIMIT);
}
