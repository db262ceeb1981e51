spf-flatten --help
