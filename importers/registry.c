#include "importer.h"

/* Adding a format: a file defining one sf_importer, and one row here. The
 * order breaks ties between equal sniff confidences. */
const sf_importer *const sf_importers[] = {
	&sf_importer_tfstate,
	NULL,
};
