/* libFuzzer target: the zone importer's $INCLUDE and $GENERATE paths. The
 * input is up to three files separated by a line "%%": the zone, then the
 * fragments a.inc and b.inc it (and they) may include. Both the import and
 * the scan's includes hook (the same parse, without diagnostics) run. */
#include "fuzz_common.h"

static void fuzz_put(const char *name, const uint8_t *data, size_t size)
{
	char p[4200];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", fuzz_root, name);
	if (!(f = fopen(p, "wb")))
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
}

static void fuzz_found(const char *realpath, void *payload)
{
	(void)realpath;
	++*(size_t *)payload;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_make_root("input");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const frags[] = { "a.inc", "b.inc" };
	const uint8_t *part = data, *end = data + size;
	size_t nparts = 0, found = 0;
	const uint8_t *zone = data;
	size_t zone_len = size;
	sf_import_ctx ctx;
	char *text;

	while (nparts < 3) {
		const uint8_t *sep = NULL;
		for (const uint8_t *p = part; p + 4 <= end; p++)
			if (memcmp(p, "\n%%\n", 4) == 0) {
				sep = p;
				break;
			}
		if (nparts == 0) {
			zone = part;
			zone_len = (size_t)((sep ? sep : end) - part);
		} else {
			fuzz_put(frags[nparts - 1], part, (size_t)((sep ? sep : end) - part));
		}
		nparts++;
		if (!sep)
			break;
		part = sep + 4;
	}
	for (; nparts < 3; nparts++)
		fuzz_put(frags[nparts - 1], (const uint8_t *)"", 0);
	fuzz_one(&sf_importer_zone, zone, zone_len);
	if (!(text = malloc(zone_len + 1)))
		abort();
	memcpy(text, zone, zone_len);
	text[zone_len] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = fuzz_root;
	ctx.path = fuzz_name;
	ctx.realpath = fuzz_file;
	sf_importer_zone.includes(&ctx, text, zone_len, fuzz_found, &found);
	free(text);
	return 0;
}
