/* Drawing a DOT diagram with the separate sharedfate-render program. */
#ifndef SF_RENDER_H
#define SF_RENDER_H

#include <stddef.h>

#define SF_RENDER_OK 0
#define SF_RENDER_MISSING (-1)      /* no renderer: keep the DOT file */
#define SF_RENDER_TIMEOUT (-2)      /* stopped at the time limit, or killed */
#define SF_RENDER_FAILED (-3)       /* it refused the diagram, or an error here */

/* Seconds a drawing may take: SHAREDFATE_RENDER_TIMEOUT, default 60. */
#define SF_RENDER_TIMEOUT_DEFAULT 60
unsigned sf_render_timeout(void);

/* Draw `dot` as `format` (svg, png, pdf). On SF_RENDER_OK, *out is the
 * drawing (malloc'd, NUL-terminated) and *outlen its size; otherwise `err`
 * says why, in one line safe to print. */
int sf_render(const char *dot, size_t dotlen, const char *format, char **out, size_t *outlen,
              char *err, size_t errsz);

#endif
