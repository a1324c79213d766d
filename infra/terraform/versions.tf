terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # pinned to one minor release: a provider upgrade is a reviewed change (commit .terraform.lock.hcl too)
      version = "~> 5.100.0"
    }
  }
}

provider "aws" {
  region = var.region
}
