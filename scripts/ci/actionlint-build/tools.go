//go:build tools

// Wrapper module to build actionlint 1.7.12 (github.com/rhysd/actionlint, cmd/actionlint),
// the linter .ci/run runs on .github/workflows/*.yml.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
