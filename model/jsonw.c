#include "jsonw.h"

int sf_json_write(FILE *out, json_t *root)
{
	int rc = root ? json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII) : -1;
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
