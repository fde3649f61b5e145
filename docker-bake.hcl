# One image per service from the one Dockerfile (its SERVICE build argument picks the service):
#   docker buildx bake                       # quire/<service>:latest for every service
#   docker buildx bake gateway               # one of them
#   REGISTRY=ghcr.io/acme/quire TAG=1.2.0 docker buildx bake --push
# The Kubernetes manifests (deploy/base) run quire/<service>:latest; point them at your registry
# with `kustomize edit set image quire/gateway=ghcr.io/acme/quire/gateway:1.2.0` (one per service).
variable "REGISTRY" { default = "quire" }
variable "TAG" { default = "latest" }

group "default" {
  targets = ["service"]
}

# A matrix target: bake expands it into one target per service, named after it.
target "service" {
  name       = svc
  matrix     = { svc = ["gateway", "job-status", "parse", "extract", "split", "schema", "notifier"] }
  context    = "."
  dockerfile = "Dockerfile"
  args       = { SERVICE = svc }
  tags       = ["${REGISTRY}/${svc}:${TAG}"]
}
