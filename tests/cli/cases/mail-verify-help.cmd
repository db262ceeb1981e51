mail-verify --help
