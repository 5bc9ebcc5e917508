# The Terraform that wrote terraform.tfstate, block headers as terraform fmt
# writes them (arguments abridged: sharedfate reads the state, and the
# .tf files only to point a finding at the block someone edits).

resource "aws_route53_zone" "main" {
  name         = "example.com"
}

resource "aws_route53_health_check" "api_primary" {
  port         = 443
}

resource "aws_kms_key" "db" {
  multi_region = false
}

resource "aws_secretsmanager_secret" "db" {
  name         = "prod/api/db"
  kms_key_id   = "arn:aws:kms:us-east-1:111122223333:key/2f6c8e1a-4b3d-4e7f-9a0b-5c6d7e8f9a0b"
}

resource "aws_secretsmanager_secret_rotation" "db" {
}

resource "aws_lb" "api_use1" {
  name         = "api-use1"
}

resource "aws_lb_target_group" "api_use1" {
  name         = "api-use1"
  port         = 8080
  protocol     = "HTTP"
}

resource "aws_lb_listener" "api_use1" {
  port         = 80
  protocol     = "HTTP"
}

resource "aws_ecs_service" "api_use1" {
  name         = "api-use1"
}

resource "aws_acm_certificate" "api_use1" {
}

resource "aws_lb_listener" "api_use1_https" {
  port         = 443
  protocol     = "HTTPS"
}

resource "aws_ecs_task_definition" "api_use1" {
}

resource "aws_lb" "api_usw2" {
  name         = "api-usw2"
}

resource "aws_lb_target_group" "api_usw2" {
  name         = "api-usw2"
  port         = 8080
  protocol     = "HTTP"
}

resource "aws_lb_listener" "api_usw2" {
  port         = 80
  protocol     = "HTTP"
}

resource "aws_ecs_service" "api_usw2" {
  name         = "api-usw2"
}

resource "aws_acm_certificate" "api_usw2" {
}

resource "aws_lb_listener" "api_usw2_https" {
  port         = 443
  protocol     = "HTTPS"
}

resource "aws_ecs_task_definition" "api_usw2" {
}

resource "aws_route53_record" "api_primary" {
  name         = "api.example.com"
}

resource "aws_route53_record" "api_secondary" {
  name         = "api.example.com"
}
