#!/usr/bin/env bash
# Runs the jobs of .gitlab-ci.yml that need no outside credentials with gitlab-ci-local
# (npm devDependency, shell mode, in this folder): install, synth (+ scan), plan, and the
# review environment (deploy on the local Docker engine, smoke test, destroy). Not run here:
# `test` (.ci/run runs `npm test` itself just before) and the manual `deploy-k8s` (it needs the
# KUBE_CONFIG credential). The review site uses its own names and port (wpcdk-p-review,
# 127.0.0.1:18781) and local Terraform state; providers and images come from the offline set-up
# (source scripts/offline/env.sh first). A failing job fails this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_TAG=gitlab-pipeline
# shellcheck source=../lib/common.sh
. scripts/lib/common.sh
apt_install rsync                 # gitlab-ci-local copies files with it
git rev-parse --git-dir >/dev/null 2>&1 || die "gitlab-ci-local needs a git repository"
JOBS=(install synth plan review-deploy review-smoke review-destroy)
exec flock /tmp/wpcdk-p-review.lock node_modules/.bin/gitlab-ci-local --force-shell-executor --timestamps \
  --variable REVIEW_APP_NAME=wpcdk-p-review --variable REVIEW_HOST_PORT=18781 --variable REVIEW_STATE_BACKEND=local \
  --variable "npm_config_cache=${npm_config_cache:-$HOME/.npm}" \
  "${JOBS[@]}"
