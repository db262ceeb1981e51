spf-lint --offline "exa mple..com"
