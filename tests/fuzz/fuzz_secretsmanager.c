/* libFuzzer target: the secretsmanager importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_secretsmanager, "input")
