/* Subcommands: one cmd_<name>.c each, listed in main.c's table. */
#ifndef SF_CLI_H
#define SF_CLI_H

int sf_cmd_scan(int argc, char **argv);
int sf_cmd_explain(int argc, char **argv);
int sf_cmd_rules(int argc, char **argv);
int sf_cmd_baseline(int argc, char **argv);
int sf_cmd_diff(int argc, char **argv);
int sf_cmd_simulate(int argc, char **argv);
int sf_cmd_domains(int argc, char **argv);
int sf_cmd_graph(int argc, char **argv);

#include <stddef.h>

/* The trees a pull request controls: the real path of every scanned path
 * (a file's directory; "." when none is given), at most `max` of them,
 * malloc'd into `out`. Outputs never go through a link inside them.
 * Release with sf_cli_free_trees. */
size_t sf_cli_scanned_trees(const char *const *paths, size_t np, char **out, size_t max);
void sf_cli_free_trees(char **trees, size_t n);

#endif
