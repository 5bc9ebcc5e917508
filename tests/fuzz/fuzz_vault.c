/* libFuzzer target: the vault importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_vault, "vault.example.com_8200/input")
