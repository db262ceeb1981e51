/* Printing an SPF walk: the lookup tree as text or JSON, and the summary. */
#ifndef AUTHZONE_CLI_SPF_TREE_H
#define AUTHZONE_CLI_SPF_TREE_H

#include <stdio.h>

#include <jansson.h>

#include "lint/spf_walk.h"

/** Prints the tree; verbose adds the terms that cost no lookup. */
void cmd_spf_tree_print(FILE *fp, const spf_walk_t *w, int verbose);
/** The tree as JSON (a new reference), null when there is none. */
json_t *cmd_spf_tree_json(const spf_node_t *n);
/** "lookups 7/10, void 0/2", or its incomplete form. */
void cmd_spf_summary_print(FILE *fp, const spf_walk_t *w);

#endif
