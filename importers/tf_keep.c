/* The attributes of a format-4 instance that outlive its decoding.
 *
 * The state is decoded one resource at a time (tfstate.c); what the
 * provider semantics read later, once every node of the file exists, is
 * kept, and the rest of the instance is freed at once: most of a state is
 * tags, timeouts, private blobs and secrets that nothing here reads. A
 * top-level attribute can only be read by a name spelt as a string literal
 * in the importer's sources (tf_get, tf_str, tf_path_* and friends take
 * literal names or paths), so the list is every identifier-like literal of
 * importers/tf_*.[ch] and tfstate.c, first path step only: a superset of
 * what is read. tests/test_tfstate_spans.py checks it against the sources:
 * a new literal there must be added here. */
#include "tfstate.h"

#include <stddef.h>
#include <string.h>

/* Sorted, for the reader. */
static const char *const keep[] = {
	"A", "AAAA", "ALIAS", "AMAZON_ISSUED", "AWS", "Action", "AdministratorAccess", "Allow",
	"AmazonRoute53FullAccess", "CNAME", "Cloudflare", "Condition", "Deny", "Disabled",
	"Effect", "Facebook", "Federated", "GRPC", "Google", "HTTP", "HTTP2", "HTTPS",
	"LoginWithAmazon", "NotAction", "NotResource", "OIDC", "PRIMARY", "PowerUserAccess",
	"Principal", "Priority", "Resource", "SAML", "SECONDARY", "SSL", "SecureString",
	"SignInWithApple", "Statement", "TCP", "account", "action", "address", "alias", "arn",
	"arn_without_revision", "assume_role_policy", "attributes", "attributes_flat",
	"availability_zone", "aws", "aws_acm_certificate", "aws_acmpca_certificate_authority",
	"aws_alb", "aws_alb_listener", "aws_alb_listener_certificate", "aws_alb_listener_rule",
	"aws_alb_target_group", "aws_alb_target_group_attachment", "aws_cloudfront_distribution",
	"aws_cognito_identity_pool", "aws_cognito_identity_provider", "aws_cognito_user_pool",
	"aws_cognito_user_pool_domain", "aws_ecr_repository", "aws_ecs_cluster",
	"aws_ecs_service", "aws_ecs_task_definition", "aws_eip", "aws_eks_cluster",
	"aws_eks_node_group", "aws_iam_group", "aws_iam_group_policy",
	"aws_iam_group_policy_attachment", "aws_iam_instance_profile",
	"aws_iam_openid_connect_provider", "aws_iam_policy", "aws_iam_policy_attachment",
	"aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
	"aws_iam_saml_provider", "aws_iam_user", "aws_iam_user_policy",
	"aws_iam_user_policy_attachment", "aws_instance", "aws_kms_alias", "aws_kms_key",
	"aws_kms_replica_key", "aws_lambda_function", "aws_lb", "aws_lb_listener",
	"aws_lb_listener_certificate", "aws_lb_listener_rule", "aws_lb_target_group",
	"aws_lb_target_group_attachment", "aws_organizations_account", "aws_route53_health_check",
	"aws_route53_record", "aws_route53_zone", "aws_secretsmanager_secret",
	"aws_secretsmanager_secret_rotation", "aws_ssm_parameter", "azurerm_app_service",
	"azurerm_application_gateway", "azurerm_key_vault", "azurerm_kubernetes_cluster",
	"azurerm_lb", "azurerm_linux_virtual_machine", "azurerm_linux_web_app",
	"azurerm_public_ip", "azurerm_traffic_manager_azure_endpoint",
	"azurerm_traffic_manager_endpoint", "azurerm_traffic_manager_external_endpoint",
	"azurerm_traffic_manager_nested_endpoint", "azurerm_traffic_manager_profile",
	"azurerm_windows_virtual_machine", "azurerm_windows_web_app", "backend",
	"backend_service", "certificate_arn", "certificate_authority_arn", "child_modules",
	"cloudflare_dns_record", "cloudflare_load_balancer", "cloudflare_load_balancer_monitor",
	"cloudflare_load_balancer_pool", "cloudflare_record", "cloudflare_zone", "cluster",
	"cluster_name", "cognito_identity_providers", "container_definitions",
	"container_image_repository", "content", "credentialsParameter",
	"customer_master_key_spec", "data", "default_action", "default_hostname",
	"default_pool_ids", "default_pools", "default_site_hostname", "dependencies",
	"depends_on", "deposed", "disabled", "dkr", "dns_config", "dns_name", "domain",
	"domain_name", "dualstack", "enabled", "endpoint", "endpoint_status", "environment",
	"evaluate_target_health", "execution_role_arn", "failover", "failover_routing_policy",
	"failure_threshold", "fallback_pool", "fallback_pool_id", "false", "family",
	"format_version", "fqdn", "function_name", "geo", "geolocation",
	"geolocation_routing_policy", "get_attr", "global", "google_compute_backend_service",
	"google_compute_forwarding_rule", "google_compute_global_forwarding_rule",
	"google_compute_health_check", "google_compute_instance",
	"google_compute_instance_group_manager", "google_compute_region_backend_service",
	"google_compute_region_health_check", "google_compute_region_instance_group_manager",
	"google_dns_managed_zone", "google_dns_record_set", "group", "groups",
	"grpc_health_check", "health_check", "health_check_id", "health_check_type",
	"health_checks", "hostname", "http2_health_check", "http_health_check", "https",
	"https_health_check", "iam_instance_profile", "id", "identity", "identity_pool_name",
	"image", "image_uri", "index", "index_key", "inline_policy", "instance", "instance_group",
	"instances", "internal", "invert_healthcheck", "inverted", "ip", "ip_address", "issuer",
	"key_id", "key_spec", "kms", "kms_key_arn", "kms_key_id", "latency",
	"latency_routing_policy", "lineage", "listener_arn", "load_balancer", "load_balancer_arn",
	"load_balancer_type", "load_balancing_scheme", "location", "managed",
	"managed_policy_arns", "managed_zone", "mode", "module", "monitor", "monitor_config",
	"multi_region", "name", "network_interface", "node_role_arn", "null", "off", "oidc",
	"openid_connect_provider_arns", "origins", "path", "planned_values", "policy",
	"policy_arn", "port", "primary", "primary_backup", "primary_key_arn", "priority",
	"private_dns", "private_ip", "profile_id", "profile_name", "profile_status", "project",
	"projects", "protocol", "provider", "provider_details", "provider_name", "provider_type",
	"public", "public_dns", "public_ip", "qualified_arn", "records", "region", "regions",
	"replica", "replica_regions", "repositoryCredentials", "repository_url",
	"resource_group_name", "resource_path", "resource_type", "resources", "revision", "role",
	"role_arn", "roles", "root", "root_module", "rotation_days", "rotation_enabled",
	"rotation_lambda_arn", "rotation_rules", "routing_policy", "rrdatas",
	"saml_provider_arns", "scheme", "secret_id", "secrets", "secretsmanager", "self_link",
	"sensitive_attributes", "sensitive_values", "serial", "set_identifier", "simple",
	"ssl_health_check", "ssm", "steering_policy", "subject_alternative_names",
	"supported_login_providers", "target", "target_group_arn", "target_id", "target_key_arn",
	"target_key_id", "target_resource_id", "task_definition", "task_role_arn",
	"tcp_health_check", "terraform_version", "tfstate",
	"traffic_routing_method", "true", "ttl", "type", "url", "user", "user_pool_id", "users",
	"validation_method", "value", "valueFrom", "values", "version", "viewer_certificate",
	"vpc", "weight", "weighted", "weighted_routing_policy", "zone", "zone_id", "zones",
};

/* An open-addressing table over the names, built at the first lookup: a
 * state asks once per attribute of every instance. Only these names are
 * ever inserted, so input cannot lengthen a probe. */
#define KEEP_SLOTS 1024         /* a power of two, over twice the names */

static const char *slots[KEEP_SLOTS];
static int built;

static unsigned fnv1a(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int tf_keep_attr(const char *name)
{
	unsigned i;
	if (!built) {
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
			for (i = fnv1a(keep[k]) & (KEEP_SLOTS - 1); slots[i]; i = (i + 1) & (KEEP_SLOTS - 1))
				;
			slots[i] = keep[k];
		}
		built = 1;
	}
	for (i = fnv1a(name) & (KEEP_SLOTS - 1); slots[i]; i = (i + 1) & (KEEP_SLOTS - 1))
		if (strcmp(slots[i], name) == 0)
			return 1;
	return 0;
}
