#include "importer.h"

/* Adding a format: a file defining one sf_importer, and one row here. The
 * order breaks ties between equal sniff confidences. */
const sf_importer *const sf_importers[] = {
	&sf_importer_tfstate,
	&sf_importer_route53_json,
	&sf_importer_route53_xml,
	&sf_importer_zone,
	&sf_importer_manifest,
	&sf_importer_vault,
	&sf_importer_secretsmanager,
	&sf_importer_eso,
	&sf_importer_sops,
	&sf_importer_backstage,
	NULL,
};
