/* libFuzzer target: the checker of undecoded state bytes against jansson.
 * Whatever tf_check() vouches for, jansson must decode with the flags the
 * state importer uses, and so must the text tf_check_strip() makes of it,
 * with the same instances: a checker looser than jansson would let a state
 * through that Terraform's own reader refuses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "importers/tf_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tf_checker ck;
	sf_buf strip = SF_BUF_INIT;
	json_error_t err;
	json_t *whole, *part;
	/* exactly the input's bytes, no NUL after them: the checker reads
	 * nothing past its length */
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	memset(&ck, 0, sizeof(ck));
	if (tf_check(&ck, text, size) == 1) {
		whole = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
		if (!whole || !json_is_object(whole))
			abort();
		if (tf_check_strip(&ck, text, size, &strip) < 0)
			abort();
		part = json_loadb(strip.ptr, strip.len, JSON_REJECT_DUPLICATES, &err);
		if (!part || json_array_size(json_object_get(part, "instances")) !=
		                 json_array_size(json_object_get(whole, "instances")))
			abort();
		json_decref(part);
		json_decref(whole);
	}
	sf_buf_free(&strip);
	tf_checker_free(&ck);
	free(text);
	return 0;
}
