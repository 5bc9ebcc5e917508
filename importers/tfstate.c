#include "importer.h"

static int tf_sniff(const char *path, const char *head, size_t len)
{
	(void)path; (void)head; (void)len;
	return 0;
}

static int tf_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	(void)ctx; (void)data; (void)len;
	return 0;
}

const sf_importer sf_importer_tfstate = { "tfstate", tf_sniff, tf_import };
