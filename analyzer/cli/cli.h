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
#include <stdio.h>

#include "analyzer/scan.h"

/* A getopt_long result of ':' (a value missing) or '?' (unknown option),
 * the option being argv[optind - 1]: the message, the usage on stderr for
 * an unknown one, and SF_EXIT_INPUT. */
int sf_cli_option_error(int c, char **argv, void (*usage)(FILE *out));
/* SF_EXIT_OK when `format` is one of the NULL-terminated `known`, else the
 * message listing them and SF_EXIT_INPUT. */
int sf_cli_check_format(const char *format, const char *const *known);
/* Scan options as every subcommand starts them, over `paths`. */
void sf_cli_scan_defaults(sf_scan_opts *o, char **paths, size_t npaths);
/* sf_scan_init and sf_scan_run: the scan's exit code. `s` may be passed to
 * sf_scan_free whatever it returns. */
int sf_cli_scan(sf_scan *s, const sf_scan_opts *o);

/* The trees a pull request controls: the real path of every scanned path
 * (a file's directory; "." when none is given), at most `max` of them,
 * malloc'd into `out`. Outputs never go through a link inside them.
 * Release with sf_cli_free_trees. */
size_t sf_cli_scanned_trees(const char *const *paths, size_t np, char **out, size_t max);
void sf_cli_free_trees(char **trees, size_t n);

#endif
