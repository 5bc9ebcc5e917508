/* libFuzzer target: the zone importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_zone, "input")
