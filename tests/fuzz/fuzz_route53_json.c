/* libFuzzer target: the route53 json importer. */
#include "fuzz_common.h"

SF_FUZZ_TARGET(sf_importer_route53_json, "input")
