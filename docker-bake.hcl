# One image per service from the one Dockerfile (its SERVICE build argument picks the service):
#   docker buildx bake                       # quire/<service>:latest, loaded locally
#   REGISTRY=ghcr.io/acme/quire TAG=1.2.0 docker buildx bake --push
# The Kubernetes manifests (deploy/base) run quire/<service>:latest; point them at your registry
# with `kustomize edit set image quire/gateway=ghcr.io/acme/quire/gateway:1.2.0` (one per service).
variable "REGISTRY" { default = "quire" }
variable "TAG" { default = "latest" }

group "default" {
  targets = ["gateway", "job-status", "parse", "extract", "split", "schema", "notifier"]
}

target "_service" {
  context    = "."
  dockerfile = "Dockerfile"
}

target "gateway" {
  inherits = ["_service"]
  args     = { SERVICE = "gateway" }
  tags     = ["${REGISTRY}/gateway:${TAG}"]
}
target "job-status" {
  inherits = ["_service"]
  args     = { SERVICE = "job-status" }
  tags     = ["${REGISTRY}/job-status:${TAG}"]
}
target "parse" {
  inherits = ["_service"]
  args     = { SERVICE = "parse" }
  tags     = ["${REGISTRY}/parse:${TAG}"]
}
target "extract" {
  inherits = ["_service"]
  args     = { SERVICE = "extract" }
  tags     = ["${REGISTRY}/extract:${TAG}"]
}
target "split" {
  inherits = ["_service"]
  args     = { SERVICE = "split" }
  tags     = ["${REGISTRY}/split:${TAG}"]
}
target "schema" {
  inherits = ["_service"]
  args     = { SERVICE = "schema" }
  tags     = ["${REGISTRY}/schema:${TAG}"]
}
target "notifier" {
  inherits = ["_service"]
  args     = { SERVICE = "notifier" }
  tags     = ["${REGISTRY}/notifier:${TAG}"]
}
