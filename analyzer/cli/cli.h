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

#endif
