/* jansson's allocations from bump arenas while a state is imported.
 *
 * The state is decoded one resource at a time (tfstate.c), and each DOM
 * dies as soon as its kept parts are copied out: freeing it object by
 * object cost more than decoding it, and glibc consolidated its fastbins
 * on almost every resource. With the span arena the DOM goes at once; the
 * kept copies (sensitivity marks, dependencies) live in the file arena,
 * which goes at the end of the import. The attribute values the provider
 * code decodes from kept text (tf_inst_attr) go into the span arena too,
 * emptied after each type callback.
 *
 * jansson's allocator is process-wide, so it is replaced only between
 * tf_jarena_begin() and tf_jarena_end(); in between, memory from the
 * arena is recognised by its address and never passed to free(), and
 * everything else is malloc'd and freed as usual. Under SF_DEBUG_POOL or
 * AddressSanitizer there is no arena: each object is malloc'd and the DOM
 * is freed with json_decref(), so a reference kept past the release is a
 * use after free the sanitizer reports. */
#ifndef SF_TF_JARENA_H
#define SF_TF_JARENA_H

#include <jansson.h>

enum {
	TF_JARENA_OFF,          /* malloc, as usual */
	TF_JARENA_SPAN,         /* one resource's DOM */
	TF_JARENA_FILE,         /* what outlives it, until tf_jarena_end() */
};

void tf_jarena_begin(void);
/* Where jansson's next allocations come from; returns where they came
 * from until now. */
int tf_jarena_use(int which);
/* Drop `root` (decoded into the span arena) and everything else the span
 * arena holds. Nothing may refer to it afterwards. */
void tf_jarena_release(json_t *root);
/* Drop `v`, made in the file arena (freed by tf_jarena_end, or here
 * without an arena). */
void tf_jarena_drop(json_t *v);
/* Free the arenas and give jansson its allocator back. */
void tf_jarena_end(void);

#endif
