/* libFuzzer target: the manifest importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_manifest, "input")
