/* libFuzzer target: the backstage importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_backstage, "catalog-info.yaml")
