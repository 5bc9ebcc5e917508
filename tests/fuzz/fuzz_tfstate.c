/* libFuzzer target: the Terraform state importer (v4 and show -json), the
 * provider semantics behind it, and the whole analysis after it. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_tfstate, "terraform.tfstate")
