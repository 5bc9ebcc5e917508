/* libFuzzer target: the manifest importer, and the same text read the
 * other way, as the zone importer reads it: written as the tree's
 * sharedfate.yaml, asked for the origin of a zone file (the parse-once
 * cache, its change detection and the confined resolution of `file:`). */
#include "fuzz_common.h"

#include "importers/manifest.h"

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
	char mpath[4300], zpath[4300], origin[300];
	FILE *f;

	fuzz_one(&sf_importer_manifest, data, size);
	snprintf(mpath, sizeof(mpath), "%s/sharedfate.yaml", fuzz_root);
	snprintf(zpath, sizeof(zpath), "%s/input", fuzz_root);
	if (!(f = fopen(mpath, "wb")))
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	sf_manifest_zone_origin(fuzz_root, zpath, origin, sizeof(origin));
	sf_manifest_zone_origin(fuzz_root, zpath, origin, sizeof(origin));     /* cached */
	return 0;
}
