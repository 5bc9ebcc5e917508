/* libFuzzer target: the eso importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_eso, "input.yaml")
