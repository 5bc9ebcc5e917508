/* libFuzzer target: the sops importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_sops, "input.enc.yaml")
